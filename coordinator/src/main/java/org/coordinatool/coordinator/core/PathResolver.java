package org.coordinatool.coordinator.core;

import java.util.function.Consumer;
import org.coordinatool.hsm.Fid;

/**
 * Turns a path into the FID of the file, for {@code find}. Resolving may block (it asks the
 * filesystem), so it happens away from the state loop; the result comes back on the state loop.
 */
public interface PathResolver {

    /** Resolves {@code path} and hands the outcome to {@code done} on the state loop. */
    void resolve(String path, Consumer<Resolution> done);

    /** The FID of the file, or why there is none: a positive errno and a message for the client. */
    record Resolution(Fid fid, int errno, String error) {

        public static Resolution of(Fid fid) {
            return new Resolution(fid, 0, null);
        }

        public static Resolution failed(int errno, String error) {
            return new Resolution(null, errno, error);
        }
    }
}
