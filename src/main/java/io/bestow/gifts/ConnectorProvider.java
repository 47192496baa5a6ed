package io.bestow.gifts;

import io.bestow.connectors.ActionManagement;
import io.bestow.customers.Customer;
import io.bestow.shared.ProjectId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Fulfils sends through an external gifting API: runs the gift's external action (such as a Sendoso-style
 * {@code POST /api/v3/send}) with the send, the gift's {@code provider_ref} as {@code touch_id}, the recipient and
 * the address. The send's id is the call's idempotency key, so a retried hand-over orders nothing twice at a
 * provider that honours it. An output named {@code provider_reference} (or {@code send_id}, or {@code id}) becomes
 * the send's provider reference.
 */
@Component
class ConnectorProvider implements FulfilmentProvider {

    private final ActionManagement actions;

    ConnectorProvider(ActionManagement actions) {
        this.actions = actions;
    }

    @Override
    public String name() {
        return Gift.CONNECTOR;
    }

    @Override
    public @Nullable String dispatch(ProjectId project, Send send, Gift gift, Customer recipient) {
        if (gift.actionId() == null) {
            throw new IllegalStateException("The gift " + gift.id() + " names no external action");
        }
        var run = actions.run(project, gift.actionId(), variables(send, gift, recipient), "send", send.id());
        if (!run.succeeded()) {
            throw new IllegalStateException("The external action " + gift.actionId() + " failed: " + run.error());
        }
        for (var name : List.of("provider_reference", "send_id", "id")) {
            if (run.outputs().get(name) instanceof Object reference) {
                return String.valueOf(reference);
            }
        }
        return null;
    }

    /**
     * What the action's templates see: {@code touch_id} (also as {@code gift.touch_id}), {@code message},
     * {@code confirm_address}, {@code send}, {@code gift}, {@code customer} (whose address is the send's shipping
     * address) and {@code address}.
     */
    static Map<String, Object> variables(Send send, Gift gift, Customer recipient) {
        var variables = new LinkedHashMap<String, Object>();
        variables.put("touch_id", gift.providerRef() == null ? "" : gift.providerRef());
        var sent = new LinkedHashMap<String, Object>();
        sent.put("id", send.id());
        sent.put("message", send.message() == null ? "" : send.message());
        sent.put("campaign", send.campaign() == null ? "" : send.campaign());
        sent.put("confirm_address", send.confirmAddress());
        sent.put("cost", send.cost());
        sent.put("currency", send.currency());
        variables.put("send", sent);
        var item = new LinkedHashMap<String, Object>();
        item.put("id", gift.id());
        item.put("name", gift.name());
        item.put("type", gift.type().name());
        item.put("sku", gift.sku() == null ? "" : gift.sku());
        item.put("provider_ref", gift.providerRef() == null ? "" : gift.providerRef());
        item.put("touch_id", gift.providerRef() == null ? "" : gift.providerRef());
        variables.put("gift", item);
        var customer = ActionManagement.customerVariables(recipient.asVariables());
        variables.put("customer", customer);
        var address = new LinkedHashMap<String, Object>();
        if (customer.get("address") instanceof Map<?, ?> own) {
            own.forEach((key, value) -> address.put(String.valueOf(key), value));
        }
        if (send.address() != null) {
            address.putAll(send.address());
        }
        customer.put("address", address);
        variables.put("address", address);
        variables.put("message", send.message() == null ? "" : send.message());
        variables.put("confirm_address", send.confirmAddress());
        return variables;
    }
}
