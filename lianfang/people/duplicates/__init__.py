"""Possible duplicates (疑似重复): detection, the queue, merging or marking as different."""
