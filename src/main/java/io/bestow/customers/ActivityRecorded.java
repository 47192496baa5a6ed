package io.bestow.customers;

import io.bestow.shared.ProjectId;

/**
 * An entry was put on a customer's timeline, told synchronously inside the recording transaction to whoever reacts to
 * timeline entries (programs triggered by them). Not a public event: the entry's own event is.
 */
public record ActivityRecorded(ProjectId projectId, Activity activity, Customer customer) {}
