package io.bestow.customers;

/** Names a segment inside events. */
public record SegmentRef(String id, String name) {}
