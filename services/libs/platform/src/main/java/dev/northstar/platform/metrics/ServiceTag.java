package dev.northstar.platform.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Every meter of a service carries {@code service="<name>"} (Kafka's client metrics and HTTP's
 * too), so one dashboard and one set of alert rules (deploy/observability) select any service the
 * same way, whatever the scrape job is called.
 */
@Singleton
public class ServiceTag {

    @Produces
    @Singleton
    MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return MeterFilter.commonTags(List.of(Tag.of("service", service)));
    }
}
