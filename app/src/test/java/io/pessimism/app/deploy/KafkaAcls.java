package io.pessimism.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ACLs of a Strimzi {@code KafkaUser} and whether they allow an operation on a named resource, by
 * Kafka's rules: a literal pattern matches its name (or {@code *} every name), a prefixed one every name
 * starting with it; {@code All} allows everything, and Read, Write, Delete and Alter imply Describe,
 * AlterConfigs implies DescribeConfigs.
 */
final class KafkaAcls {

    record Acl(String type, String name, String patternType, Set<String> operations) {

        boolean matches(String resourceType, String resource) {
            if (!type.equals(resourceType)) {
                return false;
            }
            return switch (patternType) {
                case "literal" -> name.equals(resource) || name.equals("*");
                case "prefix" -> resource.startsWith(name);
                default -> throw new IllegalArgumentException("unknown patternType " + patternType + " of " + this);
            };
        }

        boolean allows(String operation) {
            if (operations.contains("All") || operations.contains(operation)) {
                return true;
            }
            if (operation.equals("Describe")) {
                return operations.stream().anyMatch(Set.of("Read", "Write", "Delete", "Alter")::contains);
            }
            return operation.equals("DescribeConfigs") && operations.contains("AlterConfigs");
        }
    }

    private static final Set<String> TYPES = Set.of("topic", "group", "transactionalId", "cluster");
    private static final Set<String> OPERATIONS = Set.of("Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "All");

    private final String user;
    private final List<Acl> acls;

    private KafkaAcls(String user, List<Acl> acls) {
        this.user = user;
        this.acls = List.copyOf(acls);
    }

    /** The ACLs of a rendered KafkaUser; an unknown resource type or operation fails naming it. */
    static KafkaAcls of(JsonNode kafkaUser) {
        String user = kafkaUser.path("metadata").path("name").asText();
        JsonNode authorization = kafkaUser.path("spec").path("authorization");
        if (!"simple".equals(authorization.path("type").asText())) {
            throw new AssertionError("KafkaUser " + user + ": authorization type must be simple");
        }
        List<Acl> acls = new ArrayList<>();
        for (JsonNode acl : authorization.path("acls")) {
            JsonNode resource = acl.path("resource");
            String type = resource.path("type").asText();
            if (!TYPES.contains(type)) {
                throw new AssertionError("KafkaUser " + user + ": unknown resource type " + type);
            }
            Set<String> operations = new java.util.TreeSet<>();
            acl.path("operations").forEach(op -> operations.add(op.asText()));
            if (operations.isEmpty() || !OPERATIONS.containsAll(operations)) {
                throw new AssertionError("KafkaUser " + user + ": bad operations " + operations + " on " + resource);
            }
            acls.add(new Acl(type, resource.path("name").asText(), resource.path("patternType").asText("literal"),
                    operations));
        }
        return new KafkaAcls(user, acls);
    }

    boolean allows(String resourceType, String resource, String operation) {
        return acls.stream().anyMatch(a -> a.matches(resourceType, resource) && a.allows(operation));
    }

    /** What this user may not do of {@code operations} on the resource; empty when all are allowed. */
    List<String> missing(String resourceType, String resource, Set<String> operations) {
        return operations.stream().filter(op -> !allows(resourceType, resource, op)).sorted()
                .map(op -> user + " may not " + op + " " + resourceType + " " + resource).toList();
    }

    @Override
    public String toString() {
        return "KafkaAcls[" + user + ", " + acls.size() + " ACLs]";
    }
}
