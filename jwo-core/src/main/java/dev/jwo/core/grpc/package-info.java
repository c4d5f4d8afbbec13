/**
 * gRPC plumbing shared by every module: the one server bootstrap that serves the services contributed through
 * Guice, with health, reflection, deadlines and metrics; the sensor ingest service; and conversions between
 * the core protos and values.
 */
@NullMarked
package dev.jwo.core.grpc;

import org.jspecify.annotations.NullMarked;
