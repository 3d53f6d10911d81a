package io.pessimism.oracle.rpc;

import java.util.List;

/** Fetches the items of heights {@code from..to} (inclusive), in height order. */
@FunctionalInterface
public interface RangeFetcher<T> {

    List<T> fetch(long from, long to);
}
