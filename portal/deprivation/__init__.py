"""Need data: the Indices of Deprivation by statistical area (LSOA), summed to neighbourhoods."""
