package io.pessimism.interest;

import java.util.ArrayList;
import java.util.List;

/** Splits a parameter list {@code T1,(T2,T3)[],T4} at its top-level commas. */
final class Parameters {

    private Parameters() {
    }

    /**
     * The top-level members of a comma-separated list (empty for an empty string). Unbalanced
     * parentheses leave the rest as one member, which then fails as a type.
     */
    static List<String> split(String list) {
        List<String> members = new ArrayList<>();
        if (list.isEmpty()) {
            return members;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                members.add(list.substring(start, i));
                start = i + 1;
            }
        }
        members.add(list.substring(start));
        return members;
    }
}
