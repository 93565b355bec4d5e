package dev.northstar.platform.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northstar.model.json.NorthstarJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Gives the ObjectMapper Quarkus uses for REST the same bounded configuration as everything else. */
@Singleton
public class NorthstarObjectMapperCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        NorthstarJson.configure(mapper);
    }
}
