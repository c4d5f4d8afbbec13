package dev.jwo.compliance.visit;

/**
 * What entries said about consent: how many named a disclosure version, how many of those were recorded as releases,
 * and how many named a version this store has not published (not recorded: nobody can sign an unknown text).
 */
public record EntryConsents(long named, long recorded, long unknownVersion) {}
