package io.servletsse.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * The operator tool: {@code java -jar servlet-sse-cli.jar COMMAND ...} or
 * {@code java -cp servlet-sse-filter.jar:... io.servletsse.cli.Main COMMAND ...}. Works offline on the
 * files a file service stores, with the same configuration and keys as the filter (docs/CLI.md).
 *
 * <p>Exit status: {@value #OK} all sound / done; {@value #FINDINGS} something was found or failed
 * (a bad object, a file not converted); {@value #USAGE} usage or configuration error (nothing done).
 */
public final class Main {
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: servlet-sse-cli [--config PATH] [--data-dir DIR] [--json] [--progress|--no-progress] COMMAND ...

              inspect FILE|DIR...                     format, algorithm, key, segment size, plaintext length (no keys needed)
              verify FILE|DIR...                      authenticate every segment of every object with the configured keys
              decrypt FILE -o OUT|- [--force]         the plaintext the filter would serve
              encrypt FILE -o OUT (--bucket B | --sse AES256|SM4|KMS [--kms-key ID] [--kms-data SM4]) [--force]
              rewrap FILE|DIR... --to TARGET [--dry-run] [--copy]
                                                      TARGET: newest | AES256 | SM4 | AES256@vN | SM4@vN | CMK id | alias/NAME
              encrypt-existing DIR --bucket B [--meta SIDECAR_DIR] [--dry-run]
              keys list
              keys rotate AES256|SM4|CMK

            --config defaults to $SERVLETSSE_CONFIG (the filter's configuration file); --data-dir overrides its dataDirectory.
            exit status: 0 ok, 1 findings (bad objects, files not processed), 2 usage or configuration error.
            """;

    private Main() {}

    public static void main(String[] argv) {
        // The library logs through SLF4J; an operator tool shows warnings only, on stderr.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status = run(argv, System.out, System.err, System.getenv(), System.console() != null);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command; never exits the JVM (tests call this). */
    public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        Args args;
        try {
            args = Args.parse(argv);
        } catch (UsageException e) {
            err.println("servlet-sse-cli: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        boolean help = args.flag("--help") || args.flag("-h") || "help".equals(args.command);
        if (help) {
            out.print(USAGE_TEXT);
            return OK;
        }
        if (args.command == null) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try (Session s = new Session(args, out, err, env, terminal)) {
            return switch (args.command) {
                case "inspect" -> InspectCommand.run(s);
                case "verify" -> VerifyCommand.run(s);
                case "decrypt" -> DecryptCommand.run(s);
                case "encrypt" -> EncryptCommand.run(s);
                case "rewrap" -> RewrapCommand.run(s);
                case "encrypt-existing" -> EncryptExistingCommand.run(s);
                case "keys" -> KeysCommand.run(s);
                default -> throw new UsageException("unknown command " + args.command);
            };
        } catch (UsageException e) {
            err.println("servlet-sse-cli: " + e.getMessage());
            return USAGE;
        }
    }
}
