package io.bestow.console;

/** A type inside the console package for architecture tests to depend on. */
public class ConsoleProbe {}
