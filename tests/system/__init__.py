"""System tests: runs killed, full and read-only disks, two processes at once, hostile
files, the reader in a real terminal."""
