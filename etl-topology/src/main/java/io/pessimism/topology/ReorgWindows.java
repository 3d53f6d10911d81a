package io.pessimism.topology;

import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import java.util.EnumMap;
import java.util.Map;

/**
 * How deep a reorg can reach on each network: the oracles' {@code networks.<n>.reorg-window}. A
 * block that deep below the highest one its topic holds can no longer be retracted (a deeper reorg
 * fails the oracle instead, DESIGN.md §5), so a backtest's range is final once its source has
 * passed the range's end by this many blocks.
 */
public final class ReorgWindows {

    private final Map<Network, Integer> depths;

    private ReorgWindows(Map<Network, Integer> depths) {
        this.depths = Map.copyOf(depths);
    }

    /** The windows a configuration gives the oracles. */
    public static ReorgWindows of(PessimismConfig config) {
        Map<Network, Integer> depths = new EnumMap<>(Network.class);
        for (Network network : Network.values()) {
            depths.put(network, config.network(network).reorgWindow());
        }
        return new ReorgWindows(depths);
    }

    /** The declared default window on every network (tests and tools without a configuration). */
    public static ReorgWindows declared() {
        Map<Network, Integer> depths = new EnumMap<>(Network.class);
        for (Network network : Network.values()) {
            depths.put(network, Settings.network(network).reorgWindow().declaredDefault());
        }
        return new ReorgWindows(depths);
    }

    /** The same window on every network. */
    public static ReorgWindows everywhere(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("a reorg window is at least 1 block, was " + depth);
        }
        Map<Network, Integer> depths = new EnumMap<>(Network.class);
        for (Network network : Network.values()) {
            depths.put(network, depth);
        }
        return new ReorgWindows(depths);
    }

    public int of(Network network) {
        return depths.get(network);
    }
}
