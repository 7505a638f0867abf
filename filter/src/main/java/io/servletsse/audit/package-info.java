/**
 * The audit log: one JSON line per data-key generation, decryption, bucket rule change and denied
 * request, through the SLF4J logger {@code servletsse.audit}. Never key material.
 */
package io.servletsse.audit;
