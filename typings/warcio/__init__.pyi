# warcio ships no types: only what sourcetrace calls (see typings/README.md).
