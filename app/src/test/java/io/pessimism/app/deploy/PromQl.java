package io.pessimism.app.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric selectors of a PromQL expression, enough for alert rules: every identifier that is not
 * a function, aggregation or keyword is a metric name, with the label matchers in its braces. An
 * identifier this class does not know as a function is taken for a metric, so a misspelt function
 * shows up as an unknown metric rather than passing unseen.
 */
final class PromQl {

    /** A metric and its label matchers ({@code label -> "=~ regex"} etc.). */
    record Selector(String metric, Map<String, Matcher> labels) {
    }

    /** One label matcher: its operator and value. */
    record Matcher(String operator, String value) {
    }

    private static final Set<String> FUNCTIONS = Set.of("sum", "min", "max", "avg", "count", "stddev", "topk",
            "bottomk", "quantile", "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
            "absent", "absent_over_time", "max_over_time", "min_over_time", "avg_over_time", "sum_over_time",
            "last_over_time", "histogram_quantile", "clamp_min", "clamp_max", "abs", "time", "vector", "scalar",
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    private PromQl() {
    }

    static List<Selector> selectors(String expression) {
        String text = GROUPING.matcher(expression).replaceAll(" ")
                .replaceAll("\\[[^]]*]", " "); // range durations such as [5m]
        List<Selector> out = new ArrayList<>();
        java.util.regex.Matcher m = SELECTOR.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            boolean function = FUNCTIONS.contains(name) && m.group(2) == null;
            boolean number = Character.isDigit(name.charAt(0));
            if (function || number || precededByDigit(text, m.start())) {
                continue;
            }
            out.add(new Selector(name, labels(m.group(3) == null ? "" : m.group(3), expression)));
        }
        return out;
    }

    // "5m" in offsets or numbers such as 1e3 are not metrics
    private static boolean precededByDigit(String text, int at) {
        return at > 0 && (Character.isDigit(text.charAt(at - 1)) || text.charAt(at - 1) == '.');
    }

    private static Map<String, Matcher> labels(String braces, String expression) {
        Map<String, Matcher> labels = new LinkedHashMap<>();
        java.util.regex.Matcher m = MATCHER.matcher(braces);
        int at = 0;
        while (at < braces.length() && m.find(at) && m.start() == at) {
            // PromQL strings are Go strings: \\ is one backslash
            labels.put(m.group(1), new Matcher(m.group(2), m.group(3).replace("\\\\", "\\")));
            at = m.end();
        }
        if (!braces.substring(at).isBlank()) {
            throw new IllegalArgumentException("cannot read the label matchers {" + braces + "} of " + expression);
        }
        return labels;
    }
}
