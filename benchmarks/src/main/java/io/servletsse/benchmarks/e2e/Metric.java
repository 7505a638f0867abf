package io.servletsse.benchmarks.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One figure measured on both sides, round after round: each round gives a pair (with filter,
 * without) taken back to back, so the load of the moment hits both. Reported: each side's median
 * and spread (min–max), and the median of the per-round ratios (filter / no-filter).
 */
final class Metric {
    final String group;
    final String name;
    final String unit;
    final List<double[]> pairs = new ArrayList<>();

    Metric(String group, String name, String unit) {
        this.group = group;
        this.name = name;
        this.unit = unit;
    }

    void add(double withFilter, double without) {
        pairs.add(new double[] {withFilter, without});
    }

    /** Times and CPU costs are compared as a difference (what the filter adds), rates as a ratio. */
    boolean additive() {
        return unit.equals("ms") || unit.startsWith("µs");
    }

    double[] side(int i) {
        return pairs.stream().mapToDouble(p -> p[i]).toArray();
    }

    double[] ratios() {
        return pairs.stream().mapToDouble(p -> p[0] / p[1]).toArray();
    }

    double[] differences() {
        return pairs.stream().mapToDouble(p -> p[0] - p[1]).toArray();
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format("%,.0f", v).replace(',', ' ');
        }
        if (a >= 100) {
            return String.format("%.0f", v);
        }
        if (a >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.2f", v);
    }

    /** "median (min–max)". */
    static String spread(double[] v) {
        return fmt(median(v)) + " (" + fmt(min(v)) + "–" + fmt(max(v)) + ")";
    }
}
