"""Messaging kernel: the outbox and the pluggable SMS backends (ACC-4)."""
