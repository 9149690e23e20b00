package org.coordinatool.lustre;

import java.io.IOException;

/** A liblustreapi call returned a negative errno. */
public final class LustreException extends IOException {

    private final String function;
    private final int errno;

    /**
     * @param function the llapi function that failed
     * @param context  what it was called on (a path, a FID), may be empty
     * @param errno    the positive errno
     */
    public LustreException(String function, String context, int errno) {
        super(function + (context.isEmpty() ? "" : "(" + context + ")") + ": " + Errno.describe(errno));
        this.function = function;
        this.errno = errno;
    }

    public LustreException(String function, String context, int errno, Throwable cause) {
        this(function, context, errno);
        initCause(cause);
    }

    public String function() {
        return function;
    }

    /** Positive errno value. */
    public int errno() {
        return errno;
    }

    public boolean is(Errno e) {
        return errno == e.code();
    }

    /** Returns {@code rc} when it is not negative, throws for -errno. */
    static int check(int rc, String function, String context) throws LustreException {
        if (rc < 0) {
            throw new LustreException(function, context, -rc);
        }
        return rc;
    }
}
