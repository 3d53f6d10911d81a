package io.pessimism.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

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

    /** These ACLs as Kafka's bindings for {@code principal} (e.g. {@code User:pessimism-etl}), one per operation. */
    List<AclBinding> bindings(String principal) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Acl acl : acls) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(snake(acl.type())), acl.name(),
                    acl.patternType().equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL);
            for (String operation : acl.operations()) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*",
                        AclOperation.fromString(snake(operation)), AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    // transactionalId → TRANSACTIONAL_ID, DescribeConfigs → DESCRIBE_CONFIGS: Kafka's enum names
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "KafkaAcls[" + user + ", " + acls.size() + " ACLs]";
    }
}
