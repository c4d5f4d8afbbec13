package dev.jwo.core;

/** Whether a gate admits shoppers into the store or lets them out. */
public enum GateKind {
  ENTRY,
  EXIT
}
