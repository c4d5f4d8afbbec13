/** The gRPC {@code ComplianceService} for the retailer's app and back office. */
@NullMarked
package dev.jwo.compliance.grpc;

import org.jspecify.annotations.NullMarked;
