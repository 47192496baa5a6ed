package io.bestow.connectors;

import io.bestow.shared.ProjectId;

/** The inbound settings of a connector, with the project it belongs to: what an inbound request is checked against. */
public record InboundCallback(ProjectId project, String connectorId, InboundSettings settings) {}
