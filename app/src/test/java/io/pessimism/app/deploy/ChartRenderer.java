package io.pessimism.app.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the subset of Helm's Go templates the pessimism chart uses, as Helm would, and refuses
 * everything else naming the file and line (there is no Helm binary here or in CI). Supported:
 * <ul>
 *   <li>{@code {{ .Values.a.b }}}, {@code {{ .Release.Name }}}, {@code {{ .Release.Namespace }}},
 *       {@code {{ .Chart.Name }}}, {@code {{ .Chart.Version }}}, {@code {{ .Chart.AppVersion }}}, and a
 *       range variable {@code {{ $name }}}; each optionally {@code | quote};
 *   <li>{@code {{- if PATH }}} / {@code {{- if not PATH }}}, an optional {@code {{- else }}}, {@code {{- end }}};
 *   <li>{@code {{- range $k, $v := PATH }}} over a map (keys sorted, as Go does);
 *   <li>{@code {{-} and {@code -}}} trimming whitespace as Go does.
 * </ul>
 * Values print as Helm prints them: strings as they are, booleans, and whole numbers below 1,000,000.
 * Helm reads values as floats, so a larger number would print as {@code 1e+06}: refused (quote it in
 * values.yaml), as are a missing value (Helm prints {@code <no value>}), a map or a list.
 */
final class ChartRenderer {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
    private static final Pattern OUTPUT = Pattern.compile("(\\.[A-Za-z][\\w.]*|\\$\\w+)(\\s*\\|\\s*quote)?");
    private static final Pattern IF = Pattern.compile("if\\s+(not\\s+)?(\\.[A-Za-z][\\w.]*)");
    private static final Pattern RANGE = Pattern.compile("range\\s+\\$(\\w+)\\s*,\\s*\\$(\\w+)\\s*:=\\s*(\\.[A-Za-z][\\w.]*)");
    private static final long HELM_PLAIN_NUMBER_LIMIT = 1_000_000;

    private final Map<String, Object> root;

    /** @param values the chart's values; {@code release} and {@code chart} are Helm's built-in objects */
    ChartRenderer(Map<String, Object> values, Map<String, Object> release, Map<String, Object> chart) {
        this.root = Map.of("Values", values, "Release", release, "Chart", chart);
    }

    /** The rendered text of one template. */
    String render(String file, String template) {
        Parser parser = new Parser(file, template);
        List<Node> nodes = parser.nodes(false);
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            node.render(out, Map.of());
        }
        return out.toString();
    }

    private sealed interface Node permits Text, Output, If, Range {
        void render(StringBuilder out, Map<String, Object> vars);
    }

    private record Text(String text) implements Node {
        @Override
        public void render(StringBuilder out, Map<String, Object> vars) {
            out.append(text);
        }
    }

    private final class Output implements Node {
        private final String path;
        private final boolean quote;
        private final String where;

        Output(String path, boolean quote, String where) {
            this.path = path;
            this.quote = quote;
            this.where = where;
        }

        @Override
        public void render(StringBuilder out, Map<String, Object> vars) {
            String text = print(lookup(path, vars, where), where);
            out.append(quote ? quote(text, where) : text);
        }
    }

    private final class If implements Node {
        private final String path;
        private final boolean negated;
        private final List<Node> then;
        private final List<Node> otherwise;
        private final String where;

        If(String path, boolean negated, List<Node> then, List<Node> otherwise, String where) {
            this.path = path;
            this.negated = negated;
            this.then = then;
            this.otherwise = otherwise;
            this.where = where;
        }

        @Override
        public void render(StringBuilder out, Map<String, Object> vars) {
            boolean truth = truthy(lookup(path, vars, where)) != negated;
            for (Node node : truth ? then : otherwise) {
                node.render(out, vars);
            }
        }
    }

    private final class Range implements Node {
        private final String key;
        private final String value;
        private final String path;
        private final List<Node> body;
        private final String where;

        Range(String key, String value, String path, List<Node> body, String where) {
            this.key = key;
            this.value = value;
            this.path = path;
            this.body = body;
            this.where = where;
        }

        @Override
        public void render(StringBuilder out, Map<String, Object> vars) {
            Object over = lookup(path, vars, where);
            if (!(over instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(where + ": range over " + path + " needs a map, got " + over);
            }
            for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
                Map<String, Object> inner = new TreeMap<>(vars);
                inner.put(key, entry.getKey());
                inner.put(value, entry.getValue());
                for (Node node : body) {
                    node.render(out, inner);
                }
            }
        }
    }

    /** Splits a template into text and actions, applying Go's {@code {{-} / {@code -}}} trimming. */
    private final class Parser {
        private final String file;
        private final String template;
        private final List<Object> tokens = new ArrayList<>(); // String (text) or Action
        private int next;

        private record Action(String body, String where) {
        }

        Parser(String file, String template) {
            this.file = file;
            this.template = template;
            Matcher m = ACTION.matcher(template);
            int at = 0;
            boolean trimNext = false;
            while (m.find()) {
                String text = template.substring(at, m.start());
                if (trimNext) {
                    text = text.stripLeading();
                }
                if (!m.group(1).isEmpty()) {
                    text = text.stripTrailing();
                }
                tokens.add(text);
                tokens.add(new Action(m.group(2).strip(), file + ":" + line(m.start())));
                trimNext = !m.group(3).isEmpty();
                at = m.end();
            }
            String rest = template.substring(at);
            tokens.add(trimNext ? rest.stripLeading() : rest);
            if (template.substring(at).contains("{{")) {
                throw new IllegalArgumentException(file + ":" + line(at) + ": unclosed {{");
            }
        }

        private int line(int offset) {
            return (int) template.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
        }

        /** The nodes up to the end of the file, or up to an {@code else}/{@code end} when {@code nested}. */
        List<Node> nodes(boolean nested) {
            List<Node> nodes = new ArrayList<>();
            while (next < tokens.size()) {
                Object token = tokens.get(next);
                if (token instanceof String text) {
                    next++;
                    nodes.add(new Text(text));
                    continue;
                }
                Action action = (Action) token;
                String body = action.body();
                if (body.equals("end") || body.equals("else")) {
                    if (!nested) {
                        throw new IllegalArgumentException(action.where() + ": {{ " + body + " }} without if/range");
                    }
                    return nodes;
                }
                next++;
                nodes.add(node(action));
            }
            if (nested) {
                throw new IllegalArgumentException(file + ": an if/range has no {{ end }}");
            }
            return nodes;
        }

        private Node node(Action action) {
            String body = action.body();
            Matcher m;
            if ((m = IF.matcher(body)).matches()) {
                List<Node> then = nodes(true);
                List<Node> otherwise = List.of();
                if (closing().equals("else")) {
                    next++;
                    otherwise = nodes(true);
                }
                expectEnd(action);
                return new If(m.group(2), m.group(1) != null, then, otherwise, action.where());
            }
            if ((m = RANGE.matcher(body)).matches()) {
                List<Node> inner = nodes(true);
                expectEnd(action);
                return new Range(m.group(1), m.group(2), m.group(3), inner, action.where());
            }
            if ((m = OUTPUT.matcher(body)).matches()) {
                return new Output(m.group(1), m.group(2) != null, action.where());
            }
            throw new IllegalArgumentException(action.where() + ": unsupported template construct {{ " + body
                    + " }} (ChartRenderer renders .Values/.Release/.Chart paths, | quote, if [not], else, "
                    + "range $k, $v := map, end)");
        }

        private String closing() {
            return ((Action) tokens.get(next)).body();
        }

        private void expectEnd(Action opened) {
            if (next >= tokens.size() || !closing().equals("end")) {
                throw new IllegalArgumentException(opened.where() + ": {{ " + opened.body() + " }} has no {{ end }}");
            }
            next++;
        }
    }

    private Object lookup(String path, Map<String, Object> vars, String where) {
        if (path.startsWith("$")) {
            String name = path.substring(1);
            if (!vars.containsKey(name)) {
                throw new IllegalArgumentException(where + ": unknown variable " + path);
            }
            return vars.get(name);
        }
        Object at = root;
        for (String part : path.substring(1).split("\\.")) {
            if (!(at instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new IllegalArgumentException(where + ": " + path + " is not set (Helm would render <no value>)");
            }
            at = map.get(part);
        }
        return at;
    }

    private static String print(Object value, String where) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        if ((value instanceof Integer || value instanceof Long)
                && Math.abs(((Number) value).longValue()) < HELM_PLAIN_NUMBER_LIMIT) {
            return value.toString();
        }
        throw new IllegalArgumentException(where + ": cannot print " + value + " (" + (value == null ? "null"
                : value.getClass().getSimpleName()) + ") as Helm would: quote numbers of 1,000,000 and more "
                + "(Helm prints floats such as 1e+06); maps and lists need toYaml, which is not supported");
    }

    // sprig's quote: Go's %q of the value's text
    private static String quote(String text, String where) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(where + ": cannot quote a control or non-ASCII character in \""
                        + text + "\"");
            }
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    private static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof String text) {
            return !text.isEmpty();
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        if (value instanceof List<?> list) {
            return !list.isEmpty();
        }
        return true;
    }
}
