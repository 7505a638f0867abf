package io.servletsse.kms;

/**
 * Counters of a key manager since it was opened, for tests, metrics and capacity planning.
 *
 * @param backendGenerateCalls wraps done by the backend (KMS/HSM) for new data keys or bucket keys
 * @param backendDecryptCalls  unwraps done by the backend
 * @param decryptCacheHits     decrypts answered from the unwrapped-key cache
 * @param decryptCacheMisses   decrypts that had to ask the backend
 */
public record KeyManagerStats(long backendGenerateCalls, long backendDecryptCalls, long decryptCacheHits,
        long decryptCacheMisses) {}
