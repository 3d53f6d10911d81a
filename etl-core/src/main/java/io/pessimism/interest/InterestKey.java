package io.pessimism.interest;

import io.pessimism.avro.AddressInterest;
import java.util.Locale;

/**
 * The key of an {@code AddressInterest} on {@code <ns>.state}: {@code <PUUID>|<address>|<owner>}
 * (DESIGN.md §3), defined here once for the control plane that writes it, the branches that scan
 * it by pipeline and the oracles that read it. Owners never contain '|' (checked at the edge), and
 * a PUUID and an address cannot, so the key splits unambiguously. The same topic also carries the
 * {@link InterestHorizon}s, under {@code horizon|<network>}: {@link #isHorizon} tells them apart.
 */
public record InterestKey(String puuid, String address, String owner) {

    /** Separates the parts of a key. */
    public static final char SEPARATOR = '|';

    /** The key {@code interest} is written under. */
    public static InterestKey of(AddressInterest interest) {
        return new InterestKey(interest.getPuuid(), interest.getAddress(), interest.getOwner());
    }

    /** The key as written on the topic. */
    public String render() {
        return puuid + SEPARATOR + address + SEPARATOR + owner;
    }

    /** The prefix of every key of a pipeline: {@code <PUUID>|}. */
    public static String pipelinePrefix(String puuid) {
        return puuid + SEPARATOR;
    }

    /**
     * The prefix of every key of one address of a pipeline, {@code <PUUID>|<address>|}, for a
     * component that looks one address up: the address lowercase, as the control plane writes
     * every key (the API normalises addresses with {@link Addresses#normalise}).
     */
    public static String addressPrefix(String puuid, String address) {
        return pipelinePrefix(puuid) + address.toLowerCase(Locale.ROOT) + SEPARATOR;
    }

    /**
     * Whether a key of {@code <ns>.state} is a network's {@link InterestHorizon} rather than an
     * interest (PUUIDs begin with a pipeline type, so no interest key starts like a horizon's).
     */
    public static boolean isHorizon(String key) {
        return key.startsWith(pipelinePrefix(InterestHorizon.PUUID));
    }

    /**
     * Whether a key of {@code <ns>.state} is one of the control plane's own records (a network's
     * {@link InterestHorizon} or a pipeline's {@link MergeFence}) rather than an interest.
     */
    public static boolean isReserved(String key) {
        return isHorizon(key) || MergeFence.isFence(key);
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
