"""The reader's screens: the reader itself, help, find, and the start picker."""
