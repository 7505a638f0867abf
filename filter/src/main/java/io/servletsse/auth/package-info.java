/**
 * Who is calling and what they may do, with no servlet API: {@link io.servletsse.auth.AccessControl}
 * (the validated {@code "access"} configuration), {@link io.servletsse.auth.Authenticator} (container
 * principal, trusted header, or OSS signature V1/V4 via {@link io.servletsse.auth.SignatureVerifier}
 * over a {@link io.servletsse.auth.SignedRequest} view), and {@link io.servletsse.auth.Authorizer}
 * (RAM-style {@link io.servletsse.auth.PolicyDocument}s). See docs/PERMISSIONS.md.
 */
package io.servletsse.auth;
