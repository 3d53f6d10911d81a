package io.pessimism.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A setting of an existing topic that differs from the one its declaration asks for. The oracle only
 * creates its topic; one made by hand or by an older version keeps its own settings, so the oracle
 * reports each difference instead of altering a topic others may rely on.
 *
 * @param actual what the broker says, or {@code null} when it reports no such setting
 */
public record ConfigDifference(String topic, String key, String actual, String expected) {

    /** Every declared setting whose value on the broker differs, in key order. */
    public static List<ConfigDifference> between(String topic, Map<String, String> declared, Map<String, String> actual) {
        List<ConfigDifference> differences = new ArrayList<>();
        for (Map.Entry<String, String> setting : new TreeMap<>(declared).entrySet()) {
            String onBroker = actual.get(setting.getKey());
            if (!Objects.equals(onBroker, setting.getValue())) {
                differences.add(new ConfigDifference(topic, setting.getKey(), onBroker, setting.getValue()));
            }
        }
        return differences;
    }

    public String message() {
        return "topic " + topic + " has " + key + "=" + (actual == null ? "(not reported by the broker)" : actual)
                + " but is declared with " + key + "=" + expected + "; the oracle leaves the topic as it is";
    }
}
