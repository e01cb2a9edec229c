package io.websocksy.shell.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line split into options and positional arguments. Options are {@code -x value}; those
 * named in {@code repeatable} may be given more than once, the others at most once. {@code --} ends
 * the options; {@code -h}/{@code --help} is recognised everywhere.
 */
final class Args {
    private final Map<String, List<String>> options;
    private final List<String> positional;
    private final boolean help;

    private Args(Map<String, List<String>> options, List<String> positional, boolean help) {
        this.options = options;
        this.positional = positional;
        this.help = help;
    }

    /**
     * @param argv the arguments as Gogo passes them (any objects, shown as strings)
     * @param valued options that take a value
     * @param repeatable options that may repeat
     * @return the parsed arguments
     * @throws UsageException on an unknown option, a missing value or a repeated single option
     */
    static Args parse(Object[] argv, Set<String> valued, Set<String> repeatable) throws UsageException {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        List<String> pos = new ArrayList<>();
        boolean help = false;
        boolean optionsDone = false;
        Object[] a = argv == null ? new Object[0] : argv;
        for (int i = 0; i < a.length; i++) {
            String s = String.valueOf(a[i]);
            if (optionsDone || !s.startsWith("-") || s.equals("-") || isNumber(s)) {
                pos.add(s);
            } else if (s.equals("--")) {
                optionsDone = true;
            } else if (s.equals("-h") || s.equals("--help")) {
                help = true;
            } else if (valued.contains(s)) {
                if (i + 1 >= a.length) {
                    throw new UsageException("option " + s + " needs a value");
                }
                List<String> vs = opts.computeIfAbsent(s, k -> new ArrayList<>());
                if (!vs.isEmpty() && !repeatable.contains(s)) {
                    throw new UsageException("option " + s + " given twice");
                }
                vs.add(String.valueOf(a[++i]));
            } else {
                throw new UsageException("unknown option " + s);
            }
        }
        return new Args(opts, pos, help);
    }

    private static boolean isNumber(String s) {
        return s.length() > 1 && s.chars().skip(1).allMatch(Character::isDigit);
    }

    boolean help() {
        return help;
    }

    /** @return the option's value, or null */
    String option(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(0);
    }

    /** @return every value of a repeatable option, in order */
    List<String> all(String name) {
        return options.getOrDefault(name, Collections.emptyList());
    }

    List<String> positional() {
        return positional;
    }

    /**
     * @param min fewest positional arguments
     * @param max most positional arguments
     * @throws UsageException when the count is outside the range
     */
    void expect(int min, int max) throws UsageException {
        int n = positional.size();
        if (n < min) {
            throw new UsageException(min == 1 && max == 1 ? "missing argument" : "missing arguments");
        }
        if (n > max) {
            throw new UsageException("unexpected argument '" + positional.get(max) + "'");
        }
    }
}
