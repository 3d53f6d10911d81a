package io.pessimism.control;

/**
 * The key of an {@code AddressInterest} on {@code <ns>.state}: {@code <PUUID>|<address>|<owner>}
 * (DESIGN.md §3). Owners never contain '|' (checked at the edge), and a PUUID and an address
 * cannot, so the key splits unambiguously.
 */
public record InterestKey(String puuid, String address, String owner) {

    static final char SEPARATOR = '|';

    /** The key as written on the topic. */
    public String render() {
        return puuid + SEPARATOR + address + SEPARATOR + owner;
    }

    /** The prefix of every key of a pipeline: {@code <PUUID>|}. */
    public static String pipelinePrefix(String puuid) {
        return puuid + SEPARATOR;
    }

    /** Parses a rendered key. */
    public static InterestKey parse(String key) {
        int first = key.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("interest key \"" + key + "\" is not <PUUID>|<address>|<owner>");
        }
        return new InterestKey(key.substring(0, first), key.substring(first + 1, second), key.substring(second + 1));
    }

    @Override
    public String toString() {
        return render();
    }
}
