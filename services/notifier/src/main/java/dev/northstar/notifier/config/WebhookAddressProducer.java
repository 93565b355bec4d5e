package dev.northstar.notifier.config;

import dev.northstar.notifier.domain.WebhookAddress;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.util.List;

/** The webhook address rules with the operator's allow-list and the system resolver. */
public class WebhookAddressProducer {

    @Produces
    @Singleton
    WebhookAddress webhookAddress(NotifierConfig config) {
        return new WebhookAddress(config.allowedNetworks().orElse(List.of()), InetAddress::getAllByName);
    }
}
