package io.servletsse.cli;

import io.servletsse.crypto.ContentAlgorithm;
import io.servletsse.engine.SseInfo;
import io.servletsse.format.KeyEnvelope;
import io.servletsse.format.ObjectHeader;
import io.servletsse.kms.KeyManager;
import io.servletsse.kms.ServiceMasterKeys;
import java.util.Map;

/** How the report names an object's encryption: never key bytes, not even wrapped ones. */
final class Describe {
    private Describe() {}

    static String algorithm(ContentAlgorithm a) {
        return switch (a) {
            case NONE -> "none";
            case AES_256_GCM -> "AES-256-GCM";
            case SM4_GCM -> "SM4-GCM";
        };
    }

    /** "sse-oss AES256@v3" or "kms <cmk id> material v2". */
    static String key(KeyEnvelope e) {
        int mv = materialVersion(e);
        return e.provider() + " " + e.keyId() + (mv > 0 ? " material v" + mv : "");
    }

    /** The CMK material version for KMS envelopes, else -1. */
    static int materialVersion(KeyEnvelope e) {
        return ServiceMasterKeys.PROVIDER.equals(e.provider()) ? -1 : KeyManager.materialVersionOf(e);
    }

    /** The header's fields for the JSON report. */
    static void header(Map<String, Object> m, ObjectHeader h) {
        SseInfo info = SseInfo.of(h);
        KeyEnvelope e = h.keyEnvelope();
        m.put("algorithm", algorithm(h.algorithm()));
        m.put("sse", info.algorithm());
        if (info.dataEncryption() != null) {
            m.put("dataEncryption", info.dataEncryption());
        }
        m.put("provider", e.provider());
        m.put("keyId", e.keyId());
        int mv = materialVersion(e);
        if (mv > 0) {
            m.put("materialVersion", mv);
        }
        m.put("wrapAlgorithm", e.wrapAlgorithm());
        m.put("segmentSize", h.segmentSize());
        m.put("headerLength", h.length());
    }
}
