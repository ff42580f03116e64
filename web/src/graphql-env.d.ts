/* eslint-disable */
/* prettier-ignore */

export type introspection_types = {
  Boolean: unknown;
  Choropleth: {
    kind: 'OBJECT';
    name: 'Choropleth';
    fields: {
      breaks: {
        name: 'breaks';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
      };
      change: {
        name: 'change';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      classes: {
        name: 'classes';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      counts: {
        name: 'counts';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
      };
      indicator: {
        name: 'indicator';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Indicator'; ofType: null } };
      };
      level: {
        name: 'level';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'RegionLevel'; ofType: null } };
      };
      method: {
        name: 'method';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ClassificationMethod'; ofType: null };
        };
      };
      noData: {
        name: 'noData';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'String'; ofType: null };
            };
          };
        };
      };
      values: {
        name: 'values';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ChoroplethValue'; ofType: null };
            };
          };
        };
      };
      year: {
        name: 'year';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  ChoroplethValue: {
    kind: 'OBJECT';
    name: 'ChoroplethValue';
    fields: {
      classIndex: {
        name: 'classIndex';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      rank: {
        name: 'rank';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      value: {
        name: 'value';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
    };
  };
  ClassificationMethod: {
    name: 'ClassificationMethod';
    enumValues: 'EQUAL_INTERVAL' | 'NATURAL_BREAKS' | 'QUANTILE';
  };
  County: {
    kind: 'OBJECT';
    name: 'County';
    fields: {
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      distanceMeters: { name: 'distanceMeters'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      eastWestPartnerCounty: {
        name: 'eastWestPartnerCounty';
        type: { kind: 'SCALAR'; name: 'String'; ofType: null };
      };
      eastWestPartnerProvince: {
        name: 'eastWestPartnerProvince';
        type: { kind: 'SCALAR'; name: 'String'; ofType: null };
      };
      geometry: { name: 'geometry'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null } };
      hasBoundary: {
        name: 'hasBoundary';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      indicators: { name: 'indicators'; type: { kind: 'OBJECT'; name: 'RegionYear'; ofType: null } };
      keyAssistance: {
        name: 'keyAssistance';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      keyAssistanceSource: {
        name: 'keyAssistanceSource';
        type: { kind: 'ENUM'; name: 'DesignationSource'; ofType: null };
      };
      labelPoint: { name: 'labelPoint'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null } };
      listing: { name: 'listing'; type: { kind: 'OBJECT'; name: 'Listing'; ofType: null } };
      listings: {
        name: 'listings';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Listing'; ofType: null };
            };
          };
        };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      openProblems: {
        name: 'openProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      overdueProblems: {
        name: 'overdueProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      povertyCounty: {
        name: 'povertyCounty';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      povertyExitYear: { name: 'povertyExitYear'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      prefecture: { name: 'prefecture'; type: { kind: 'OBJECT'; name: 'Region'; ofType: null } };
      prefectureCode: { name: 'prefectureCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      province: { name: 'province'; type: { kind: 'OBJECT'; name: 'Region'; ofType: null } };
      provinceCode: {
        name: 'provinceCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      relocationSites: {
        name: 'relocationSites';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CountyRelocationSiteConnection'; ofType: null };
        };
      };
      series: {
        name: 'series';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RegionYear'; ofType: null };
            };
          };
        };
      };
      supervised: {
        name: 'supervised';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      villages: {
        name: 'villages';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CountyVillageConnection'; ofType: null };
        };
      };
    };
  };
  CountyConnection: {
    kind: 'OBJECT';
    name: 'CountyConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'CountyEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'County'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  CountyEdge: {
    kind: 'OBJECT';
    name: 'CountyEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      };
    };
  };
  CountyFilter: {
    kind: 'INPUT_OBJECT';
    name: 'CountyFilter';
    isOneOf: false;
    inputFields: [
      {
        name: 'indicator';
        type: { kind: 'INPUT_OBJECT'; name: 'IndicatorRange'; ofType: null };
        defaultValue: null;
      },
      { name: 'keyAssistance'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'povertyCounty'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'regionCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'search'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'spatial';
        type: { kind: 'INPUT_OBJECT'; name: 'SpatialFilter'; ofType: null };
        defaultValue: null;
      },
      { name: 'supervised'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
    ];
  };
  CountyOrder: {
    kind: 'INPUT_OBJECT';
    name: 'CountyOrder';
    isOneOf: false;
    inputFields: [
      { name: 'direction'; type: { kind: 'ENUM'; name: 'SortDirection'; ofType: null }; defaultValue: null },
      {
        name: 'field';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'CountyOrderField'; ofType: null };
        };
        defaultValue: null;
      },
      { name: 'indicator'; type: { kind: 'ENUM'; name: 'Indicator'; ofType: null }; defaultValue: null },
      { name: 'year'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
    ];
  };
  CountyOrderField: { name: 'CountyOrderField'; enumValues: 'CODE' | 'DISTANCE' | 'INDICATOR' | 'NAME' };
  CountyRelocationSiteConnection: {
    kind: 'OBJECT';
    name: 'CountyRelocationSiteConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'CountyRelocationSiteEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  CountyRelocationSiteEdge: {
    kind: 'OBJECT';
    name: 'CountyRelocationSiteEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
        };
      };
    };
  };
  CountyVillageConnection: {
    kind: 'OBJECT';
    name: 'CountyVillageConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'CountyVillageEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Village'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  CountyVillageEdge: {
    kind: 'OBJECT';
    name: 'CountyVillageEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Village'; ofType: null } };
      };
    };
  };
  Dataset: {
    kind: 'OBJECT';
    name: 'Dataset';
    fields: {
      dataVersion: {
        name: 'dataVersion';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      demo: {
        name: 'demo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      label: {
        name: 'label';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      loadedAt: {
        name: 'loadedAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      parts: {
        name: 'parts';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'DatasetImportPart'; ofType: null };
            };
          };
        };
      };
      scale: { name: 'scale'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      sources: {
        name: 'sources';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'DatasetSource'; ofType: null };
            };
          };
        };
      };
    };
  };
  DatasetImportPart: {
    kind: 'OBJECT';
    name: 'DatasetImportPart';
    fields: {
      at: { name: 'at'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      canImport: {
        name: 'canImport';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      file: { name: 'file'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      kind: {
        name: 'kind';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'DatasetPartKind'; ofType: null };
        };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      nameEn: {
        name: 'nameEn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      nameZh: {
        name: 'nameZh';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  DatasetPart: {
    name: 'DatasetPart';
    enumValues:
      | 'EAST_WEST_PARTNERS'
      | 'FIGURES'
      | 'KEY_ASSISTANCE_COUNTIES'
      | 'POVERTY_COUNTIES'
      | 'POVERTY_VILLAGES'
      | 'SUPERVISED_COUNTIES'
      | 'SUPERVISED_VILLAGES';
  };
  DatasetPartKind: { name: 'DatasetPartKind'; enumValues: 'GENERATED' | 'IMPORTED' | 'PUBLISHED' };
  DatasetSource: {
    kind: 'OBJECT';
    name: 'DatasetSource';
    fields: {
      count: { name: 'count'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      date: { name: 'date'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      kind: {
        name: 'kind';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'DesignationSource'; ofType: null };
        };
      };
      label: {
        name: 'label';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      note: {
        name: 'note';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      part: {
        name: 'part';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'DatasetPart'; ofType: null } };
      };
    };
  };
  DesignationSource: { name: 'DesignationSource'; enumValues: 'GENERATED' | 'IMPORTED' | 'PUBLISHED_LIST' };
  Float: unknown;
  GeoJSON: unknown;
  GeometryOptions: {
    kind: 'INPUT_OBJECT';
    name: 'GeometryOptions';
    isOneOf: false;
    inputFields: [
      { name: 'gcj02'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      {
        name: 'simplifyTolerance';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
        defaultValue: null;
      },
    ];
  };
  ID: unknown;
  Import: {
    kind: 'OBJECT';
    name: 'Import';
    fields: {
      at: {
        name: 'at';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      changedRows: {
        name: 'changedRows';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      dataset: {
        name: 'dataset';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      encoding: { name: 'encoding'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      errors: {
        name: 'errors';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      fileName: {
        name: 'fileName';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      format: {
        name: 'format';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      invalidRows: {
        name: 'invalidRows';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      newRows: {
        name: 'newRows';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      result: {
        name: 'result';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      rolledBackAt: { name: 'rolledBackAt'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      rolledBackBy: { name: 'rolledBackBy'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      rows: {
        name: 'rows';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      sha256: {
        name: 'sha256';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      unchangedRows: {
        name: 'unchangedRows';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      who: {
        name: 'who';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  Indicator: {
    name: 'Indicator';
    enumValues:
      | 'EMPLOYMENT_RATE'
      | 'MONITORED_HOUSEHOLDS'
      | 'MONITORED_PER_1000'
      | 'OUT_MIGRANT_WORKERS'
      | 'PER_CAPITA_NET_INCOME'
      | 'PUBLIC_WELFARE_POSTS'
      | 'RELOCATED_PEOPLE'
      | 'RELOCATION_EMPLOYMENT_COVERAGE'
      | 'WORKSHOP_JOBS'
      | 'ZERO_EMPLOYMENT_HOUSEHOLDS';
  };
  IndicatorRange: {
    kind: 'INPUT_OBJECT';
    name: 'IndicatorRange';
    isOneOf: false;
    inputFields: [
      {
        name: 'indicator';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Indicator'; ofType: null } };
        defaultValue: null;
      },
      { name: 'max'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
      { name: 'min'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
      {
        name: 'year';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
        defaultValue: null;
      },
    ];
  };
  Inspection: {
    kind: 'OBJECT';
    name: 'Inspection';
    fields: {
      createdBy: {
        name: 'createdBy';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      findings: {
        name: 'findings';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      householdsChecked: {
        name: 'householdsChecked';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      inspectedOn: {
        name: 'inspectedOn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      inspectors: {
        name: 'inspectors';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      kind: {
        name: 'kind';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'InspectionKind'; ofType: null };
        };
      };
      listingId: {
        name: 'listingId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      problemsFound: {
        name: 'problemsFound';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      villagesChecked: {
        name: 'villagesChecked';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  InspectionKind: { name: 'InspectionKind'; enumValues: 'CROSS_CHECK' | 'REVIEW' | 'SPOT_CHECK' };
  InspectionProblemInput: {
    kind: 'INPUT_OBJECT';
    name: 'InspectionProblemInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'category';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ProblemCategory'; ofType: null };
        };
        defaultValue: null;
      },
      {
        name: 'deadline';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'department';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'description';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
    ];
  };
  Int: unknown;
  LedgerCounts: {
    kind: 'OBJECT';
    name: 'LedgerCounts';
    fields: {
      closed: {
        name: 'closed';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      inProgress: {
        name: 'inProgress';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      key: {
        name: 'key';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      open: {
        name: 'open';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      overdue: {
        name: 'overdue';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      rectificationRate: { name: 'rectificationRate'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      rectified: {
        name: 'rectified';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      total: {
        name: 'total';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  Listing: {
    kind: 'OBJECT';
    name: 'Listing';
    fields: {
      closedOn: { name: 'closedOn'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      countyCode: {
        name: 'countyCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      countyName: {
        name: 'countyName';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      inspections: {
        name: 'inspections';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Inspection'; ofType: null };
            };
          };
        };
      };
      liftedOn: { name: 'liftedOn'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      listedOn: {
        name: 'listedOn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      openProblems: {
        name: 'openProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      overdueProblems: {
        name: 'overdueProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      problems: {
        name: 'problems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      status: {
        name: 'status';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ListingStatus'; ofType: null };
        };
      };
      supervisingUnit: {
        name: 'supervisingUnit';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      townshipName: { name: 'townshipName'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      unitType: {
        name: 'unitType';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'ListingUnit'; ofType: null } };
      };
      version: {
        name: 'version';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      villageCode: { name: 'villageCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      villageName: { name: 'villageName'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
    };
  };
  ListingFilter: {
    kind: 'INPUT_OBJECT';
    name: 'ListingFilter';
    isOneOf: false;
    inputFields: [
      { name: 'regionCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'statuses';
        type: {
          kind: 'LIST';
          name: never;
          ofType: {
            kind: 'NON_NULL';
            name: never;
            ofType: { kind: 'ENUM'; name: 'ListingStatus'; ofType: null };
          };
        };
        defaultValue: null;
      },
      { name: 'unitType'; type: { kind: 'ENUM'; name: 'ListingUnit'; ofType: null }; defaultValue: null },
    ];
  };
  ListingList: {
    kind: 'OBJECT';
    name: 'ListingList';
    fields: {
      byStatus: {
        name: 'byStatus';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ListingStatusCount'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Listing'; ofType: null };
            };
          };
        };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  ListingStatus: { name: 'ListingStatus'; enumValues: 'CLOSED' | 'LIFTED' | 'SUPERVISING' };
  ListingStatusCount: {
    kind: 'OBJECT';
    name: 'ListingStatusCount';
    fields: {
      count: {
        name: 'count';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      status: {
        name: 'status';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ListingStatus'; ofType: null };
        };
      };
    };
  };
  ListingUnit: { name: 'ListingUnit'; enumValues: 'COUNTY' | 'VILLAGE' };
  Login: {
    kind: 'OBJECT';
    name: 'Login';
    fields: {
      expiresAt: {
        name: 'expiresAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      token: {
        name: 'token';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      user: {
        name: 'user';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
    };
  };
  Mutation: {
    kind: 'OBJECT';
    name: 'Mutation';
    fields: {
      assignDepartment: {
        name: 'assignDepartment';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null } };
      };
      closeListing: {
        name: 'closeListing';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Listing'; ofType: null } };
      };
      createUser: {
        name: 'createUser';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
      liftListing: {
        name: 'liftListing';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Listing'; ofType: null } };
      };
      login: {
        name: 'login';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Login'; ofType: null } };
      };
      logout: {
        name: 'logout';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      recordInspection: {
        name: 'recordInspection';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Inspection'; ofType: null } };
      };
      reportProblem: {
        name: 'reportProblem';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null } };
      };
      setDeadline: {
        name: 'setDeadline';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null } };
      };
      updateProblemStatus: {
        name: 'updateProblemStatus';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null } };
      };
      updateUser: {
        name: 'updateUser';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
    };
  };
  NearInput: {
    kind: 'INPUT_OBJECT';
    name: 'NearInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'lat';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'lon';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'radiusMeters';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
    ];
  };
  Node: {
    kind: 'INTERFACE';
    name: 'Node';
    fields: {
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
    };
    possibleTypes: 'County' | 'RelocationSite' | 'Village';
  };
  PageInfo: {
    kind: 'OBJECT';
    name: 'PageInfo';
    fields: {
      endCursor: { name: 'endCursor'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      hasNextPage: {
        name: 'hasNextPage';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      hasPreviousPage: {
        name: 'hasPreviousPage';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      startCursor: { name: 'startCursor'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
    };
  };
  PlacementType: {
    name: 'PlacementType';
    enumValues: 'CENTRAL_VILLAGE' | 'COUNTY_TOWN' | 'INDUSTRIAL_PARK' | 'TOURIST_AREA' | 'TOWNSHIP';
  };
  Problem: {
    kind: 'OBJECT';
    name: 'Problem';
    fields: {
      category: {
        name: 'category';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ProblemCategory'; ofType: null };
        };
      };
      closedOn: { name: 'closedOn'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      county: { name: 'county'; type: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      countyCode: {
        name: 'countyCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      countyName: {
        name: 'countyName';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      deadline: {
        name: 'deadline';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      department: {
        name: 'department';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      description: {
        name: 'description';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      foundOn: {
        name: 'foundOn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      history: {
        name: 'history';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ProblemChange'; ofType: null };
            };
          };
        };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      listingId: { name: 'listingId'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      nextStatuses: {
        name: 'nextStatuses';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'ENUM'; name: 'ProblemStatus'; ofType: null };
            };
          };
        };
      };
      overdue: {
        name: 'overdue';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      rectifiedOn: { name: 'rectifiedOn'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      status: {
        name: 'status';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ProblemStatus'; ofType: null };
        };
      };
      townshipName: { name: 'townshipName'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      version: {
        name: 'version';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      village: { name: 'village'; type: { kind: 'OBJECT'; name: 'Village'; ofType: null } };
      villageCode: { name: 'villageCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      villageName: { name: 'villageName'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
    };
  };
  ProblemCategory: {
    name: 'ProblemCategory';
    enumValues:
      | 'BASIC_MEDICAL'
      | 'COMPULSORY_EDUCATION'
      | 'DRINKING_WATER'
      | 'EMPLOYMENT'
      | 'FOOD_AND_CLOTHING'
      | 'FUNDS'
      | 'HOUSING_SAFETY'
      | 'INCOME'
      | 'PROCEDURE';
  };
  ProblemChange: {
    kind: 'OBJECT';
    name: 'ProblemChange';
    fields: {
      action: {
        name: 'action';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      changedAt: {
        name: 'changedAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      changedBy: {
        name: 'changedBy';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      fromStatus: { name: 'fromStatus'; type: { kind: 'ENUM'; name: 'ProblemStatus'; ofType: null } };
      note: { name: 'note'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      toStatus: { name: 'toStatus'; type: { kind: 'ENUM'; name: 'ProblemStatus'; ofType: null } };
    };
  };
  ProblemConnection: {
    kind: 'OBJECT';
    name: 'ProblemConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ProblemEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  ProblemEdge: {
    kind: 'OBJECT';
    name: 'ProblemEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Problem'; ofType: null } };
      };
    };
  };
  ProblemFilter: {
    kind: 'INPUT_OBJECT';
    name: 'ProblemFilter';
    isOneOf: false;
    inputFields: [
      {
        name: 'categories';
        type: {
          kind: 'LIST';
          name: never;
          ofType: {
            kind: 'NON_NULL';
            name: never;
            ofType: { kind: 'ENUM'; name: 'ProblemCategory'; ofType: null };
          };
        };
        defaultValue: null;
      },
      { name: 'deadlineFrom'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'deadlineTo'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'departments';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        };
        defaultValue: null;
      },
      { name: 'listingId'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'overdue'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'regionCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'search'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'statuses';
        type: {
          kind: 'LIST';
          name: never;
          ofType: {
            kind: 'NON_NULL';
            name: never;
            ofType: { kind: 'ENUM'; name: 'ProblemStatus'; ofType: null };
          };
        };
        defaultValue: null;
      },
    ];
  };
  ProblemOrder: {
    kind: 'INPUT_OBJECT';
    name: 'ProblemOrder';
    isOneOf: false;
    inputFields: [
      { name: 'direction'; type: { kind: 'ENUM'; name: 'SortDirection'; ofType: null }; defaultValue: null },
      {
        name: 'field';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ProblemOrderField'; ofType: null };
        };
        defaultValue: null;
      },
    ];
  };
  ProblemOrderField: { name: 'ProblemOrderField'; enumValues: 'DEADLINE' | 'FOUND_ON' | 'ID' };
  ProblemStatus: { name: 'ProblemStatus'; enumValues: 'CLOSED' | 'IN_PROGRESS' | 'OPEN' | 'RECTIFIED' };
  Query: {
    kind: 'OBJECT';
    name: 'Query';
    fields: {
      choropleth: {
        name: 'choropleth';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Choropleth'; ofType: null } };
      };
      counties: {
        name: 'counties';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CountyConnection'; ofType: null };
        };
      };
      county: { name: 'county'; type: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      dataset: { name: 'dataset'; type: { kind: 'OBJECT'; name: 'Dataset'; ofType: null } };
      imports: {
        name: 'imports';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Import'; ofType: null };
            };
          };
        };
      };
      inspections: {
        name: 'inspections';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Inspection'; ofType: null };
            };
          };
        };
      };
      listing: { name: 'listing'; type: { kind: 'OBJECT'; name: 'Listing'; ofType: null } };
      listings: {
        name: 'listings';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'ListingList'; ofType: null };
        };
      };
      me: { name: 'me'; type: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      node: { name: 'node'; type: { kind: 'INTERFACE'; name: 'Node'; ofType: null } };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'LIST'; name: never; ofType: { kind: 'INTERFACE'; name: 'Node'; ofType: null } };
        };
      };
      problems: {
        name: 'problems';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'ProblemConnection'; ofType: null };
        };
      };
      provinces: {
        name: 'provinces';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Region'; ofType: null };
            };
          };
        };
      };
      region: { name: 'region'; type: { kind: 'OBJECT'; name: 'Region'; ofType: null } };
      regionStats: {
        name: 'regionStats';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RegionStat'; ofType: null };
            };
          };
        };
      };
      relocationSite: {
        name: 'relocationSite';
        type: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
      };
      relocationSites: {
        name: 'relocationSites';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'RelocationSiteConnection'; ofType: null };
        };
      };
      session: { name: 'session'; type: { kind: 'OBJECT'; name: 'Session'; ofType: null } };
      supervisionSummary: {
        name: 'supervisionSummary';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'SupervisionSummary'; ofType: null };
        };
      };
      users: {
        name: 'users';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
          };
        };
      };
      village: { name: 'village'; type: { kind: 'OBJECT'; name: 'Village'; ofType: null } };
      villageIncomes: {
        name: 'villageIncomes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RegionIncomes'; ofType: null };
            };
          };
        };
      };
      villages: {
        name: 'villages';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'VillageConnection'; ofType: null };
        };
      };
    };
  };
  RecordInspectionInput: {
    kind: 'INPUT_OBJECT';
    name: 'RecordInspectionInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'findings';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'householdsChecked';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
        defaultValue: null;
      },
      { name: 'idempotencyKey'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'inspectedOn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'inspectors';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'kind';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'InspectionKind'; ofType: null };
        };
        defaultValue: null;
      },
      {
        name: 'listingId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'problems';
        type: {
          kind: 'LIST';
          name: never;
          ofType: {
            kind: 'NON_NULL';
            name: never;
            ofType: { kind: 'INPUT_OBJECT'; name: 'InspectionProblemInput'; ofType: null };
          };
        };
        defaultValue: null;
      },
      {
        name: 'villagesChecked';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
        defaultValue: null;
      },
    ];
  };
  Region: {
    kind: 'OBJECT';
    name: 'Region';
    fields: {
      bbox: {
        name: 'bbox';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
      };
      children: {
        name: 'children';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Region'; ofType: null };
            };
          };
        };
      };
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      county: { name: 'county'; type: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      hasBoundary: {
        name: 'hasBoundary';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      indicators: { name: 'indicators'; type: { kind: 'OBJECT'; name: 'RegionYear'; ofType: null } };
      labelPoint: { name: 'labelPoint'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null } };
      level: {
        name: 'level';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'RegionLevel'; ofType: null } };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      parent: { name: 'parent'; type: { kind: 'OBJECT'; name: 'Region'; ofType: null } };
      parentCode: { name: 'parentCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      series: {
        name: 'series';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RegionYear'; ofType: null };
            };
          };
        };
      };
    };
  };
  RegionIncomes: {
    kind: 'OBJECT';
    name: 'RegionIncomes';
    fields: {
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      incomes: {
        name: 'incomes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  RegionLevel: { name: 'RegionLevel'; enumValues: 'COUNTY' | 'PREFECTURE' | 'PROVINCE' };
  RegionStat: {
    kind: 'OBJECT';
    name: 'RegionStat';
    fields: {
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      counties: {
        name: 'counties';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employed: {
        name: 'employed';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      employmentRate: { name: 'employmentRate'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      isTotal: {
        name: 'isTotal';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      keyAssistanceCounties: {
        name: 'keyAssistanceCounties';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      labourForce: {
        name: 'labourForce';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      liftedPopulation: {
        name: 'liftedPopulation';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      monitoredHouseholds: {
        name: 'monitoredHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      openProblems: {
        name: 'openProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      outMigrantWorkers: {
        name: 'outMigrantWorkers';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      overdueProblems: {
        name: 'overdueProblems';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      perCapitaNetIncome: {
        name: 'perCapitaNetIncome';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
      };
      population: {
        name: 'population';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      povertyCounties: {
        name: 'povertyCounties';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      povertyVillages: {
        name: 'povertyVillages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      publicWelfarePosts: {
        name: 'publicWelfarePosts';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      region: { name: 'region'; type: { kind: 'OBJECT'; name: 'Region'; ofType: null } };
      relocatedPeople: {
        name: 'relocatedPeople';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      relocationSites: {
        name: 'relocationSites';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      supervisedCounties: {
        name: 'supervisedCounties';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      supervisedVillages: {
        name: 'supervisedVillages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      villages: {
        name: 'villages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      zeroEmploymentHouseholds: {
        name: 'zeroEmploymentHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
    };
  };
  RegionStatsFilter: {
    kind: 'INPUT_OBJECT';
    name: 'RegionStatsFilter';
    isOneOf: false;
    inputFields: [
      { name: 'keyAssistance'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'povertyCounty'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'supervised'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
    ];
  };
  RegionYear: {
    kind: 'OBJECT';
    name: 'RegionYear';
    fields: {
      employed: {
        name: 'employed';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employedLocal: {
        name: 'employedLocal';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employedOutMigrant: {
        name: 'employedOutMigrant';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employmentRate: { name: 'employmentRate'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      labourForce: {
        name: 'labourForce';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      liftedPopulation: {
        name: 'liftedPopulation';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredHouseholds: {
        name: 'monitoredHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredPer1000: { name: 'monitoredPer1000'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      monitoredRiskRemoved: {
        name: 'monitoredRiskRemoved';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      perCapitaNetIncome: {
        name: 'perCapitaNetIncome';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
      };
      population: {
        name: 'population';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      povertyVillages: {
        name: 'povertyVillages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      publicWelfarePosts: {
        name: 'publicWelfarePosts';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      relocatedHouseholds: {
        name: 'relocatedHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      relocatedPeople: {
        name: 'relocatedPeople';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      relocationEmploymentCoverage: {
        name: 'relocationEmploymentCoverage';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
      };
      relocationSites: {
        name: 'relocationSites';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      supervisedVillages: {
        name: 'supervisedVillages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      villages: {
        name: 'villages';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      workshopJobs: {
        name: 'workshopJobs';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      year: {
        name: 'year';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      zeroEmploymentHouseholds: {
        name: 'zeroEmploymentHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  RelocationOrigin: {
    kind: 'OBJECT';
    name: 'RelocationOrigin';
    fields: {
      households: {
        name: 'households';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      village: { name: 'village'; type: { kind: 'OBJECT'; name: 'Village'; ofType: null } };
      villageCode: {
        name: 'villageCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  RelocationSite: {
    kind: 'OBJECT';
    name: 'RelocationSite';
    fields: {
      county: {
        name: 'county';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      };
      countyCode: {
        name: 'countyCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      distanceMeters: { name: 'distanceMeters'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      figures: { name: 'figures'; type: { kind: 'OBJECT'; name: 'RelocationSiteYear'; ofType: null } };
      hasClinic: {
        name: 'hasClinic';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      hasCommunityServiceCentre: {
        name: 'hasCommunityServiceCentre';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      hasSchool: {
        name: 'hasSchool';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      hasWorkshop: {
        name: 'hasWorkshop';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      location: { name: 'location'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null } };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      originVillages: {
        name: 'originVillages';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RelocationOrigin'; ofType: null };
            };
          };
        };
      };
      placementType: {
        name: 'placementType';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'PlacementType'; ofType: null };
        };
      };
      series: {
        name: 'series';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RelocationSiteYear'; ofType: null };
            };
          };
        };
      };
      siteId: {
        name: 'siteId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      sizeClass: {
        name: 'sizeClass';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'SiteSizeClass'; ofType: null };
        };
      };
      yearBuilt: {
        name: 'yearBuilt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  RelocationSiteConnection: {
    kind: 'OBJECT';
    name: 'RelocationSiteConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RelocationSiteEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  RelocationSiteEdge: {
    kind: 'OBJECT';
    name: 'RelocationSiteEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
        };
      };
    };
  };
  RelocationSiteFilter: {
    kind: 'INPUT_OBJECT';
    name: 'RelocationSiteFilter';
    isOneOf: false;
    inputFields: [
      {
        name: 'indicator';
        type: { kind: 'INPUT_OBJECT'; name: 'IndicatorRange'; ofType: null };
        defaultValue: null;
      },
      {
        name: 'keyAssistanceCounty';
        type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null };
        defaultValue: null;
      },
      {
        name: 'placementType';
        type: { kind: 'ENUM'; name: 'PlacementType'; ofType: null };
        defaultValue: null;
      },
      { name: 'regionCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'search'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'sizeClass'; type: { kind: 'ENUM'; name: 'SiteSizeClass'; ofType: null }; defaultValue: null },
      {
        name: 'spatial';
        type: { kind: 'INPUT_OBJECT'; name: 'SpatialFilter'; ofType: null };
        defaultValue: null;
      },
    ];
  };
  RelocationSiteOrder: {
    kind: 'INPUT_OBJECT';
    name: 'RelocationSiteOrder';
    isOneOf: false;
    inputFields: [
      { name: 'direction'; type: { kind: 'ENUM'; name: 'SortDirection'; ofType: null }; defaultValue: null },
      {
        name: 'field';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'RelocationSiteOrderField'; ofType: null };
        };
        defaultValue: null;
      },
      { name: 'indicator'; type: { kind: 'ENUM'; name: 'Indicator'; ofType: null }; defaultValue: null },
      { name: 'year'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
    ];
  };
  RelocationSiteOrderField: {
    name: 'RelocationSiteOrderField';
    enumValues: 'DISTANCE' | 'ID' | 'INDICATOR' | 'NAME';
  };
  RelocationSiteYear: {
    kind: 'OBJECT';
    name: 'RelocationSiteYear';
    fields: {
      employed: {
        name: 'employed';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employedPerLabourHousehold: {
        name: 'employedPerLabourHousehold';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
      };
      employmentCoverage: {
        name: 'employmentCoverage';
        type: { kind: 'SCALAR'; name: 'Float'; ofType: null };
      };
      households: {
        name: 'households';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      labourHouseholds: {
        name: 'labourHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      people: {
        name: 'people';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      year: {
        name: 'year';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      zeroEmploymentHouseholds: {
        name: 'zeroEmploymentHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  ReportProblemInput: {
    kind: 'INPUT_OBJECT';
    name: 'ReportProblemInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'category';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'ProblemCategory'; ofType: null };
        };
        defaultValue: null;
      },
      {
        name: 'countyCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'deadline';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'department';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'description';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'foundOn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        defaultValue: null;
      },
      { name: 'idempotencyKey'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'listingId'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'villageCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
    ];
  };
  Role: { name: 'Role'; enumValues: 'ADMIN' | 'ANALYST' | 'LEADER' | 'SUPERVISOR' };
  Session: {
    kind: 'OBJECT';
    name: 'Session';
    fields: {
      expiresAt: {
        name: 'expiresAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      user: {
        name: 'user';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
    };
  };
  SiteSizeClass: { name: 'SiteSizeClass'; enumValues: 'EXTRA_LARGE' | 'LARGE' | 'MEDIUM' | 'SMALL' };
  SortDirection: { name: 'SortDirection'; enumValues: 'ASC' | 'DESC' };
  SpatialFilter: {
    kind: 'INPUT_OBJECT';
    name: 'SpatialFilter';
    isOneOf: false;
    inputFields: [
      {
        name: 'bbox';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
        defaultValue: null;
      },
      { name: 'inRegion'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'near'; type: { kind: 'INPUT_OBJECT'; name: 'NearInput'; ofType: null }; defaultValue: null },
      { name: 'within'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null }; defaultValue: null },
    ];
  };
  String: unknown;
  SupervisionSummary: {
    kind: 'OBJECT';
    name: 'SupervisionSummary';
    fields: {
      byCategory: {
        name: 'byCategory';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'LedgerCounts'; ofType: null };
            };
          };
        };
      };
      byDepartment: {
        name: 'byDepartment';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'LedgerCounts'; ofType: null };
            };
          };
        };
      };
      detailsWithheld: {
        name: 'detailsWithheld';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      total: {
        name: 'total';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'LedgerCounts'; ofType: null };
        };
      };
    };
  };
  User: {
    kind: 'OBJECT';
    name: 'User';
    fields: {
      disabled: {
        name: 'disabled';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      displayName: {
        name: 'displayName';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      regionScope: { name: 'regionScope'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      role: {
        name: 'role';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Role'; ofType: null } };
      };
      username: {
        name: 'username';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  Village: {
    kind: 'OBJECT';
    name: 'Village';
    fields: {
      code: {
        name: 'code';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      county: {
        name: 'county';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'County'; ofType: null } };
      };
      countyCode: {
        name: 'countyCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      distanceMeters: { name: 'distanceMeters'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      location: { name: 'location'; type: { kind: 'SCALAR'; name: 'GeoJSON'; ofType: null } };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      povertyExitYear: { name: 'povertyExitYear'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      povertyVillage: {
        name: 'povertyVillage';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      relocatedTo: {
        name: 'relocatedTo';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'VillageDestination'; ofType: null };
            };
          };
        };
      };
      series: {
        name: 'series';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'VillageYear'; ofType: null };
            };
          };
        };
      };
      stats: { name: 'stats'; type: { kind: 'OBJECT'; name: 'VillageYear'; ofType: null } };
      supervised: {
        name: 'supervised';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      township: {
        name: 'township';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      townshipCode: {
        name: 'townshipCode';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  VillageConnection: {
    kind: 'OBJECT';
    name: 'VillageConnection';
    fields: {
      edges: {
        name: 'edges';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'VillageEdge'; ofType: null };
            };
          };
        };
      };
      nodes: {
        name: 'nodes';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Village'; ofType: null };
            };
          };
        };
      };
      pageInfo: {
        name: 'pageInfo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'PageInfo'; ofType: null } };
      };
      totalCount: {
        name: 'totalCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  VillageDestination: {
    kind: 'OBJECT';
    name: 'VillageDestination';
    fields: {
      households: {
        name: 'households';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      site: {
        name: 'site';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'RelocationSite'; ofType: null };
        };
      };
    };
  };
  VillageEdge: {
    kind: 'OBJECT';
    name: 'VillageEdge';
    fields: {
      cursor: {
        name: 'cursor';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      node: {
        name: 'node';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Village'; ofType: null } };
      };
    };
  };
  VillageFilter: {
    kind: 'INPUT_OBJECT';
    name: 'VillageFilter';
    isOneOf: false;
    inputFields: [
      {
        name: 'indicator';
        type: { kind: 'INPUT_OBJECT'; name: 'IndicatorRange'; ofType: null };
        defaultValue: null;
      },
      {
        name: 'keyAssistanceCounty';
        type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null };
        defaultValue: null;
      },
      { name: 'povertyVillage'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      { name: 'regionCode'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      { name: 'search'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
      {
        name: 'spatial';
        type: { kind: 'INPUT_OBJECT'; name: 'SpatialFilter'; ofType: null };
        defaultValue: null;
      },
      { name: 'supervised'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
    ];
  };
  VillageOrder: {
    kind: 'INPUT_OBJECT';
    name: 'VillageOrder';
    isOneOf: false;
    inputFields: [
      { name: 'direction'; type: { kind: 'ENUM'; name: 'SortDirection'; ofType: null }; defaultValue: null },
      {
        name: 'field';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'ENUM'; name: 'VillageOrderField'; ofType: null };
        };
        defaultValue: null;
      },
      { name: 'indicator'; type: { kind: 'ENUM'; name: 'Indicator'; ofType: null }; defaultValue: null },
      { name: 'year'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
    ];
  };
  VillageOrderField: { name: 'VillageOrderField'; enumValues: 'CODE' | 'DISTANCE' | 'INDICATOR' | 'NAME' };
  VillageYear: {
    kind: 'OBJECT';
    name: 'VillageYear';
    fields: {
      dropouts: {
        name: 'dropouts';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employed: {
        name: 'employed';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employedLocal: {
        name: 'employedLocal';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employedOutMigrant: {
        name: 'employedOutMigrant';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      employmentRate: { name: 'employmentRate'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      households: {
        name: 'households';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      householdsWithoutSafeWater: {
        name: 'householdsWithoutSafeWater';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      labourForce: {
        name: 'labourForce';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      liftedHouseholds: {
        name: 'liftedHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      liftedPopulation: {
        name: 'liftedPopulation';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredHouseholds: {
        name: 'monitoredHouseholds';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredMarginal: {
        name: 'monitoredMarginal';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredRiskRemoved: {
        name: 'monitoredRiskRemoved';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredSuddenHardship: {
        name: 'monitoredSuddenHardship';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      monitoredUnstable: {
        name: 'monitoredUnstable';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      perCapitaNetIncome: {
        name: 'perCapitaNetIncome';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      population: {
        name: 'population';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      publicWelfarePosts: {
        name: 'publicWelfarePosts';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      uninsured: {
        name: 'uninsured';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      unsafeHouses: {
        name: 'unsafeHouses';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      workshopJobs: {
        name: 'workshopJobs';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      year: {
        name: 'year';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
};

/** An IntrospectionQuery representation of your schema.
 *
 * @remarks
 * This is an introspection of your schema saved as a file by GraphQLSP.
 * It will automatically be used by `gql.tada` to infer the types of your GraphQL documents.
 * If you need to reuse this data or update your `scalars`, update `tadaOutputLocation` to
 * instead save to a .ts instead of a .d.ts file.
 */
export type introspection = {
  name: never;
  query: 'Query';
  mutation: 'Mutation';
  subscription: never;
  types: introspection_types;
};

import * as gqlTada from 'gql.tada';

declare module 'gql.tada' {
  interface setupSchema {
    introspection: introspection;
  }
}
