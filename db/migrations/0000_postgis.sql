-- PostGIS first: every later migration declares geometry columns and GiST indexes.
CREATE EXTENSION IF NOT EXISTS postgis;
