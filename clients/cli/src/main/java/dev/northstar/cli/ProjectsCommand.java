package dev.northstar.cli;

import dev.northstar.model.json.NorthstarJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code northstar projects create|rotate|list}: through ingest's admin API. */
@Command(name = "projects", description = "Create a project, rotate its keys, list projects.",
        subcommands = {ProjectsCommand.Create.class, ProjectsCommand.Rotate.class, ProjectsCommand.ListProjects.class})
final class ProjectsCommand {

    static int answer(CommandSpec spec, Admin.Answer answer, int expected) {
        if (answer.status() != expected) {
            spec.commandLine().getErr().println("northstar: " + answer.detail());
            return NorthstarCli.REFUSED;
        }
        var b = answer.body();
        spec.commandLine().getOut().printf("project   %s%nwrite key %s%nread key  %s%n(the keys are shown this once)%n",
                b.get("projectId").asText(), b.get("writeKey").asText(), b.get("readKey").asText());
        return NorthstarCli.OK;
    }

    @Command(name = "create", description = "Create a project; prints its write and read keys, once.")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Admin admin;
        @Parameters(paramLabel = "PROJECT", description = "the project id (a slug)")
        String projectId;
        @Option(names = "--name", description = "a display name (default: the id)")
        String name;

        @Override
        public Integer call() throws Exception {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("projectId", projectId);
            if (name != null) {
                body.put("name", name);
            }
            return answer(spec, admin.call("POST", "/v1/admin/projects", NorthstarJson.mapper().writeValueAsString(body)), 201);
        }
    }

    @Command(name = "rotate", description = "New keys for a project; the old ones stop working. Prints them, once.")
    static final class Rotate implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Admin admin;
        @Parameters(paramLabel = "PROJECT")
        String projectId;

        @Override
        public Integer call() {
            return answer(spec, admin.call("POST", "/v1/admin/projects/" + projectId + "/keys/rotate", null), 200);
        }
    }

    @Command(name = "list", description = "Every project: id, name, when its keys were issued.")
    static final class ListProjects implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Admin admin;

        @Override
        public Integer call() {
            var answer = admin.call("GET", "/v1/admin/projects", null);
            if (answer.status() != 200) {
                spec.commandLine().getErr().println("northstar: " + answer.detail());
                return NorthstarCli.REFUSED;
            }
            var out = spec.commandLine().getOut();
            out.printf("%-40s %-30s %s%n", "PROJECT", "NAME", "KEYS ISSUED");
            answer.body().get("projects").forEach(p -> out.printf("%-40s %-30s %s%n", p.get("projectId").asText(),
                    p.path("name").asText(""), p.path("keysIssuedAt").asText("")));
            return NorthstarCli.OK;
        }
    }
}
