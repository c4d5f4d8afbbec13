/**
 * Who may call the store: {@link dev.jwo.core.security.Role}s, the {@link dev.jwo.core.security.Caller} of a call,
 * signed bearer tokens ({@link dev.jwo.core.security.TokenKey}, {@link dev.jwo.core.security.TokenVerifier},
 * {@link dev.jwo.core.security.BearerToken}), client certificates
 * ({@link dev.jwo.core.security.CertificateCallers}) and the deny-by-default
 * {@link dev.jwo.core.security.PermissionTable} that the gRPC server enforces on every call.
 */
@NullMarked
package dev.jwo.core.security;

import org.jspecify.annotations.NullMarked;
