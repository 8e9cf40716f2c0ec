package dev.cubeguardian.probe;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the round-trip time out of the text a ping binary prints for one echo reply. */
final class PingOutput {

    // iputils and BusyBox print "time=0.045 ms"; some builds print "time<1 ms" for tiny values.
    private static final Pattern TIME = Pattern.compile("time([=<])\\s*([0-9]+(?:[.,][0-9]+)?)\\s*ms");

    private PingOutput() {
    }

    static OptionalDouble latencyMs(String stdout) {
        Matcher m = TIME.matcher(stdout);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(m.group(2).replace(',', '.')));
    }
}
