package org.homecoming.reunification.inquiries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inquiries in a RocksDB store on local disk, off the Java heap: a service holds a million of them, and only REST,
 * delivery and alerts read one back, one at a time (the rocksdbjni that Kafka Streams brings).
 *
 * <p>The store is a cache of the compacted {@code reunification.inquiries} topic: every start and every rebuild replays
 * the topic into it. So it is created empty when the service starts and deleted when it stops, nothing in it needs to
 * survive a crash (no write-ahead log), and a folder left by a killed process is deleted at the next start. Each book
 * opens a folder of its own, named by its process, under the configured directory (by default in the process's
 * temporary folder, which the local stack gives each instance, like Kafka Streams' state): several instances on one
 * host, or in one JVM, never share a store. The book writes only inquiries whose contact data is sealed.
 */
final class DiskInquiryStore implements InquiryStore {

    private static final Logger log = LoggerFactory.getLogger(DiskInquiryStore.class);
    private static final String PREFIX = "inquiries-";
    /** Above every key: inquiry ids are UTF-8, in which no byte is 0xFF. */
    private static final byte[] END_OF_KEYS = {(byte) 0xFF};

    static {
        RocksDB.loadLibrary();
    }

    private final Path folder;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final WriteOptions writes;
    private final RocksDB db;
    /** Reads and writes share it; closing takes it alone, so nothing reaches a closed store. */
    private final ReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed;

    private DiskInquiryStore(Path folder) throws RocksDBException {
        this.folder = folder;
        this.cache = new LRUCache(32L << 20);
        this.filter = new BloomFilter(10);
        this.options = new Options()
                .setCreateIfMissing(true)
                .setErrorIfExists(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setWriteBufferSize(16L << 20)
                .setMaxWriteBufferNumber(3)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter));
        this.writes = new WriteOptions().setDisableWAL(true);
        this.db = RocksDB.open(options, folder.toString());
    }

    /** Opens a new, empty store in a folder of its own under {@code directory}, after deleting those of dead processes. */
    static DiskInquiryStore open(Path directory) {
        try {
            Files.createDirectories(directory);
            deleteLeftByDeadProcesses(directory);
            long pid = ProcessHandle.current().pid();
            Path folder = directory.resolve(PREFIX + pid + "-" + UUID.randomUUID());
            log.info("Inquiry book kept off the heap in {}", folder);
            return new DiskInquiryStore(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the inquiry book's directory " + directory, e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("Cannot open the inquiry book's store under " + directory, e);
        }
    }

    @Override
    public byte[] get(String inquiryId) {
        open.readLock().lock();
        try {
            return closed ? null : db.get(key(inquiryId));
        } catch (RocksDBException e) {
            throw new IllegalStateException("Cannot read inquiry " + inquiryId + " from the inquiry book's store", e);
        } finally {
            open.readLock().unlock();
        }
    }

    @Override
    public void put(String inquiryId, byte[] value) {
        write(() -> db.put(writes, key(inquiryId), value), "write inquiry " + inquiryId + " to");
    }

    @Override
    public void delete(String inquiryId) {
        write(() -> db.delete(writes, key(inquiryId)), "delete inquiry " + inquiryId + " from");
    }

    @Override
    public void clear() {
        write(() -> db.deleteRange(writes, new byte[0], END_OF_KEYS), "clear");
    }

    /** One change of the store, unless it is closed (a write after close changes nothing that anyone reads). */
    private void write(StoreChange change, String what) {
        open.readLock().lock();
        try {
            if (!closed) {
                change.apply();
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("Cannot " + what + " the inquiry book's store", e);
        } finally {
            open.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface StoreChange {
        void apply() throws RocksDBException;
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writes.close();
            options.close();
            filter.close();
            cache.close();
        } finally {
            open.writeLock().unlock();
        }
        deleteFolder(folder);
    }

    private static byte[] key(String inquiryId) {
        return inquiryId.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteLeftByDeadProcesses(Path directory) throws IOException {
        try (Stream<Path> folders = Files.list(directory)) {
            folders.filter(folder -> !ownerAlive(folder.getFileName().toString())).forEach(DiskInquiryStore::deleteFolder);
        }
    }

    /** Whether the process whose store this folder is still runs; a folder not named like ours is left alone. */
    private static boolean ownerAlive(String name) {
        if (!name.startsWith(PREFIX)) {
            return true;
        }
        int dash = name.indexOf('-', PREFIX.length());
        try {
            long pid = Long.parseLong(name.substring(PREFIX.length(), dash < 0 ? name.length() : dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static void deleteFolder(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not delete the inquiry book's old store {}: {}", folder, e.toString());
        }
    }
}
