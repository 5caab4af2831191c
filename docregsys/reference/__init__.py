"""Reference data (SPEC §2): regions, approving authorities, announcements and every code list."""
