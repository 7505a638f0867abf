package io.servletsse.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servletsse.auth.Action;
import io.servletsse.error.OssErrors;
import io.servletsse.error.SseException;
import io.servletsse.kms.AliasInfo;
import io.servletsse.kms.ImportParameters;
import io.servletsse.kms.KeyAdmin;
import io.servletsse.kms.KeyManager;
import io.servletsse.kms.KeyManagerStats;
import io.servletsse.kms.KeyMetadata;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * The KMS admin API of the built-in KMS (or the PKCS#11 backend): {@code <admin>api/kms/<Action>}
 * with Alibaba Cloud KMS action names, parameters and answer fields. Every call is authorized for
 * its caller with the KMS RAM action of the same name (on-demand rotation: kms:CreateKeyVersion;
 * the rotation interval: kms:UpdateRotationPolicy) and audited; errors are the kms package's
 * (KeyNotFound, Rejected.*, InvalidParameter, KmsServiceNotEnabled, ...).
 */
final class KmsApi {
    /** Actions that only read: answered to GET as well as POST. */
    static final Set<String> READ_ONLY = Set.of("ListKeys", "DescribeKey", "ListAliases", "GetStats");

    private final ApiCall call;
    private final KeyAdmin admin;
    private final KeyManager manager;

    KmsApi(ApiCall call) {
        this.call = call;
        this.admin = call.runtime.keys().services().keyAdmin();
        this.manager = call.runtime.keys().services().keyManager();
    }

    void handle(String action) throws IOException {
        switch (action) {
            case "ListKeys" -> listKeys();
            case "DescribeKey" -> describeKey();
            case "ListAliases" -> listAliases();
            case "GetStats" -> stats();
            case "CreateKey" -> createKey();
            case "CreateAlias" -> createAlias();
            case "DeleteAlias" -> deleteAlias();
            case "EnableKey" -> onKey(Action.KMS_ENABLE_KEY, admin::enableKey);
            case "DisableKey" -> onKey(Action.KMS_DISABLE_KEY, admin::disableKey);
            case "CancelKeyDeletion" -> onKey(Action.KMS_CANCEL_KEY_DELETION, admin::cancelKeyDeletion);
            case "ScheduleKeyDeletion" -> scheduleKeyDeletion();
            case "CreateKeyVersion" -> rotate();
            case "UpdateRotationPolicy" -> rotationPolicy();
            case "GetParametersForImport" -> parametersForImport();
            case "ImportKeyMaterial" -> importKeyMaterial();
            default -> throw new SseException(404, "InvalidAction.NotFound", "The KMS action is not supported.");
        }
    }

    private void listKeys() throws IOException {
        call.permissions.require(Action.KMS_LIST_KEYS, call.permissions.kmsCollectionArn("key"), null, null);
        ObjectNode answer = call.object();
        ArrayNode keys = answer.putArray("Keys");
        for (KeyMetadata k : manager.listKeys()) {
            ObjectNode n = keys.addObject();
            n.put("KeyId", k.keyId());
            n.put("KeyArn", call.permissions.kmsArn(k.keyId()));
            // Details only where the caller may DescribeKey this key (RAM: per key).
            if (call.permissions.allowed(Action.KMS_DESCRIBE_KEY, call.permissions.kmsArn(k.keyId()))) {
                n.set("KeyMetadata", metadata(k));
            }
        }
        answer.put("TotalCount", keys.size());
        call.ok(answer);
    }

    private void describeKey() throws IOException {
        String id = call.required("KeyId");
        call.permissions.require(Action.KMS_DESCRIBE_KEY, call.permissions.kmsArn(id), null, id);
        ObjectNode answer = call.object();
        answer.set("KeyMetadata", metadata(manager.describeKey(id)));
        call.ok(answer);
    }

    private void listAliases() throws IOException {
        call.permissions.require(Action.KMS_LIST_ALIASES, call.permissions.kmsCollectionArn("alias"), null, null);
        ObjectNode answer = call.object();
        ArrayNode aliases = answer.putArray("Aliases");
        for (AliasInfo a : manager.listAliases()) {
            aliases.addObject().put("AliasName", a.aliasName()).put("KeyId", a.keyId())
                    .put("AliasArn", call.permissions.kmsArn(a.aliasName()));
        }
        answer.put("TotalCount", aliases.size());
        call.ok(answer);
    }

    /** KMS call counters of this node (keyManager().stats()); needs kms:ListKeys. */
    private void stats() throws IOException {
        call.permissions.require(Action.KMS_LIST_KEYS, call.permissions.kmsCollectionArn("key"), null, null);
        KeyManagerStats s = manager.stats();
        ObjectNode answer = call.object();
        answer.put("BackendGenerateCalls", s.backendGenerateCalls()).put("BackendDecryptCalls", s.backendDecryptCalls())
                .put("DecryptCacheHits", s.decryptCacheHits()).put("DecryptCacheMisses", s.decryptCacheMisses());
        call.ok(answer);
    }

    private void createKey() throws IOException {
        call.permissions.require(Action.KMS_CREATE_KEY, call.permissions.kmsCollectionArn("key"), null, null);
        String given = call.param("Description");
        String description = given == null ? "" : given;
        if (description.length() > 8192) {
            throw new SseException(400, "InvalidParameter", "The Description is longer than 8192 characters.");
        }
        String origin = call.param("Origin");
        boolean external = "EXTERNAL".equals(origin);
        if (origin != null && !external && !"Aliyun_KMS".equals(origin)) {
            throw new SseException(400, "InvalidParameter", "Origin must be Aliyun_KMS or EXTERNAL.");
        }
        KeyMetadata k = audit(Action.KMS_CREATE_KEY, null,
                () -> external ? admin.createExternalKey(description) : admin.createKey(description));
        call.audited(Action.KMS_CREATE_KEY.ramName(), null, k.keyId(), k.origin().kmsName());
        ObjectNode answer = call.object();
        answer.set("KeyMetadata", metadata(k));
        call.ok(answer);
    }

    private void createAlias() throws IOException {
        String alias = call.required("AliasName");
        String id = call.required("KeyId");
        // KMS CreateAlias: permission on the alias and on the key.
        call.permissions.require(Action.KMS_CREATE_ALIAS, call.permissions.kmsArn(alias), null, id);
        call.permissions.require(Action.KMS_CREATE_ALIAS, call.permissions.kmsArn(id), null, id);
        audit(Action.KMS_CREATE_ALIAS, id, () -> {
            admin.createAlias(alias, id);
            return null;
        });
        call.audited(Action.KMS_CREATE_ALIAS.ramName(), null, id, alias);
        call.ok(call.object());
    }

    private void deleteAlias() throws IOException {
        String alias = call.required("AliasName");
        call.permissions.require(Action.KMS_DELETE_ALIAS, call.permissions.kmsArn(alias), null, alias);
        audit(Action.KMS_DELETE_ALIAS, alias, () -> {
            admin.deleteAlias(alias);
            return null;
        });
        call.audited(Action.KMS_DELETE_ALIAS.ramName(), null, alias, null);
        call.ok(call.object());
    }

    private interface KeyOp {
        void apply(String keyId);
    }

    private void onKey(Action action, KeyOp op) throws IOException {
        String id = call.required("KeyId");
        call.permissions.require(action, call.permissions.kmsArn(id), null, id);
        audit(action, id, () -> {
            op.apply(id);
            return null;
        });
        call.audited(action.ramName(), null, id, null);
        call.ok(call.object());
    }

    private void scheduleKeyDeletion() throws IOException {
        String id = call.required("KeyId");
        int days = intParam("PendingWindowInDays", KeyAdmin.MIN_PENDING_WINDOW_DAYS, KeyAdmin.MAX_PENDING_WINDOW_DAYS);
        call.permissions.require(Action.KMS_SCHEDULE_KEY_DELETION, call.permissions.kmsArn(id), null, id);
        Instant when = audit(Action.KMS_SCHEDULE_KEY_DELETION, id, () -> admin.scheduleKeyDeletion(id, days));
        call.audited(Action.KMS_SCHEDULE_KEY_DELETION.ramName(), null, id, "DeleteDate=" + when);
        ObjectNode answer = call.object();
        answer.put("KeyId", id).put("DeleteDate", when.toString());
        call.ok(answer);
    }

    private void rotate() throws IOException {
        String id = call.required("KeyId");
        call.permissions.require(Action.KMS_CREATE_KEY_VERSION, call.permissions.kmsArn(id), null, id);
        KeyMetadata k = audit(Action.KMS_CREATE_KEY_VERSION, id, () -> admin.rotateKeyMaterial(id));
        call.audited(Action.KMS_CREATE_KEY_VERSION.ramName(), null, id, "version " + k.primaryVersion());
        ObjectNode answer = call.object();
        answer.putObject("KeyVersion").put("KeyId", k.keyId()).put("KeyVersionId", Integer.toString(k.primaryVersion()));
        answer.set("KeyMetadata", metadata(k));
        call.ok(answer);
    }

    /** EnableAutomaticRotation true|false, RotationInterval in KMS form ("2592000s") or whole days ("30d"). */
    private void rotationPolicy() throws IOException {
        String id = call.required("KeyId");
        boolean enable = Boolean.parseBoolean(call.required("EnableAutomaticRotation"));
        Duration interval = enable ? duration(call.required("RotationInterval")) : null;
        call.permissions.require(Action.KMS_UPDATE_ROTATION_POLICY, call.permissions.kmsArn(id), null, id);
        audit(Action.KMS_UPDATE_ROTATION_POLICY, id, () -> {
            admin.setRotationInterval(id, interval);
            return null;
        });
        call.audited(Action.KMS_UPDATE_ROTATION_POLICY.ramName(), null, id,
                interval == null ? "off" : interval.toSeconds() + "s");
        call.ok(call.object());
    }

    private void parametersForImport() throws IOException {
        String id = call.required("KeyId");
        String alg = call.param("WrappingAlgorithm");
        String spec = call.param("WrappingKeySpec");
        if (alg != null && !ImportParameters.WRAPPING_ALGORITHM.equals(alg)
                || spec != null && !ImportParameters.WRAPPING_KEY_SPEC.equals(spec)) {
            throw new SseException(400, "InvalidParameter", "Supported: WrappingAlgorithm "
                    + ImportParameters.WRAPPING_ALGORITHM + ", WrappingKeySpec " + ImportParameters.WRAPPING_KEY_SPEC + ".");
        }
        call.permissions.require(Action.KMS_GET_PARAMETERS_FOR_IMPORT, call.permissions.kmsArn(id), null, id);
        ImportParameters p = audit(Action.KMS_GET_PARAMETERS_FOR_IMPORT, id, () -> admin.getParametersForImport(id));
        call.audited(Action.KMS_GET_PARAMETERS_FOR_IMPORT.ramName(), null, id, null);
        ObjectNode answer = call.object();
        answer.put("KeyId", p.keyId()).put("ImportToken", p.importToken())
                .put("PublicKey", Base64.getEncoder().encodeToString(p.publicKey().getEncoded()))
                .put("TokenExpireTime", p.tokenExpiry().toString());
        call.ok(answer);
    }

    private void importKeyMaterial() throws IOException {
        String id = call.required("KeyId");
        String token = call.required("ImportToken");
        byte[] material;
        try {
            material = Base64.getDecoder().decode(call.required("EncryptedKeyMaterial"));
        } catch (IllegalArgumentException e) {
            throw new SseException(400, "InvalidParameter", "EncryptedKeyMaterial must be base64.");
        }
        call.permissions.require(Action.KMS_IMPORT_KEY_MATERIAL, call.permissions.kmsArn(id), null, id);
        audit(Action.KMS_IMPORT_KEY_MATERIAL, id, () -> {
            admin.importKeyMaterial(id, token, material);
            return null;
        });
        call.audited(Action.KMS_IMPORT_KEY_MATERIAL.ramName(), null, id, null);
        call.ok(call.object());
    }

    private interface Op<T> {
        T run();
    }

    /** Runs a KMS operation; a failure is audited (result "failed") and rethrown. */
    private <T> T audit(Action action, String keyId, Op<T> op) {
        try {
            return op.run();
        } catch (SseException e) {
            call.failed(action.ramName(), null, keyId, e);
            throw e;
        }
    }

    private int intParam(String name, int min, int max) throws IOException {
        String v = call.required(name);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SseException(400, "InvalidParameter", name + " must be an integer from " + min + " to " + max + ".");
        }
    }

    private static Duration duration(String v) {
        try {
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("d")) {
                return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw OssErrors.invalidArgument("RotationInterval must be seconds (\"2592000s\") or days (\"30d\").");
    }

    /** DescribeKey's KeyMetadata, in KMS field names. */
    ObjectNode metadata(KeyMetadata k) {
        ObjectNode n = call.object();
        n.put("KeyId", k.keyId());
        n.put("Arn", call.permissions.kmsArn(k.keyId()));
        n.put("Description", k.description());
        n.put("KeyState", k.state().kmsName());
        n.put("Origin", k.origin().kmsName());
        n.put("CreationDate", k.creationDate().toString());
        if (k.deleteDate() != null) {
            n.put("DeleteDate", k.deleteDate().toString());
        }
        n.put("PrimaryKeyVersion", Integer.toString(k.primaryVersion()));
        n.put("AutomaticRotation", k.rotationInterval() == null ? "Disabled" : "Enabled");
        if (k.rotationInterval() != null) {
            n.put("RotationInterval", k.rotationInterval().toSeconds() + "s");
        }
        if (k.lastRotationDate() != null) {
            n.put("LastRotationDate", k.lastRotationDate().toString());
        }
        ArrayNode aliases = n.putArray("Aliases");
        k.aliases().forEach(aliases::add);
        return n;
    }
}
