package dev.cubeguardian.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles (nearest rank) in milliseconds. */
record Stats(double[] ms) {
    static Stats of(long[] nanos) {
        double[] v = new double[nanos.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = nanos[k] / 1e6;
        }
        Arrays.sort(v);
        return new Stats(v);
    }

    static Stats of(List<Long> nanos) {
        return of(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    double p(double q) {
        if (ms.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q / 100.0 * ms.length);
        return ms[Math.max(0, Math.min(ms.length - 1, rank - 1))];
    }

    double max() {
        return ms.length == 0 ? Double.NaN : ms[ms.length - 1];
    }

    double mean() {
        return Arrays.stream(ms).average().orElse(Double.NaN);
    }

    long over(double limitMs) {
        return Arrays.stream(ms).filter(v -> v > limitMs).count();
    }
}
