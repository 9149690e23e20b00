package org.coordinatool.coordinator.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Report files in a directory. Each append opens the file in append mode (creating it with mode
 * 0644, less the umask), writes the line and closes it again, so that files deleted or rotated by
 * someone else are simply recreated. Operations run on the given executor, which must run them in
 * submission order (a single thread); failures are logged and otherwise ignored.
 */
public final class DirectoryReportWriter implements ReportWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReportWriter.class);

    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x"));
    private static final Set<StandardOpenOption> APPEND =
            EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);

    private final Path directory;
    private final Executor executor;

    private DirectoryReportWriter(Path directory, Executor executor) {
        this.directory = directory;
        this.executor = executor;
    }

    /**
     * Uses {@code directory}, creating it with mode 0711 when it does not exist yet.
     *
     * @throws IOException when the directory cannot be created or is not a directory
     */
    public static DirectoryReportWriter open(Path directory, Executor executor) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectory(directory, DIRECTORY_MODE);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(directory)) {
                    throw new IOException("reporting directory " + directory + " exists and is not a directory");
                }
            }
        }
        return new DirectoryReportWriter(directory, executor);
    }

    @Override
    public void append(String name, byte[] line) {
        executor.execute(() -> {
            Path file = directory.resolve(name);
            try (SeekableByteChannel channel = Files.newByteChannel(file, APPEND, FILE_MODE)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not write to report file {}: {}", file, e.toString());
            }
        });
    }

    @Override
    public void delete(String name) {
        executor.execute(() -> {
            Path file = directory.resolve(name);
            try {
                Files.delete(file);
            } catch (NoSuchFileException gone) {
                LOG.debug("Report file {} was already gone", file);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not delete report file {}: {}", file, e.toString());
            }
        });
    }
}
