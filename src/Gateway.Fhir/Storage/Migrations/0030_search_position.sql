-- Positions for the special parameter `near` (FHIR R4 Location.position, search.html#special):
-- WGS84 degrees, one row per position, replaced with the resource's other index rows.
create table search_position (
    resource_key  bigint           not null references resource (resource_key) on delete cascade,
    resource_type text             not null,
    param         text             not null,
    latitude      double precision not null,
    longitude     double precision not null
);
-- A bounding box on latitude narrows `near` before the distance is computed row by row.
create index search_position_lookup on search_position (resource_type, param, latitude, longitude, resource_key);
create index search_position_resource on search_position (resource_key);
