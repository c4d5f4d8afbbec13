-- A migration this release does not have: applied by a test to play a data directory written by a newer release.
CREATE TABLE from_the_future (id INTEGER PRIMARY KEY);
