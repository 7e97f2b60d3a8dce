package io.driftguard.jobs.cli;

/** A problem with the user's arguments or input, reported as one line with exit code 2. */
public final class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
