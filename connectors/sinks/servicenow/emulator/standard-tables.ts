import type { ColumnDef, Store } from './store';

/** What kind of instance to build: the doctor tests need instances that lack things. */
export interface InstanceShape {
  /** Install the CSDM 5 AI classes (cmdb_ci_appl_ai_application, cmdb_ci_ai_model_deployment). */
  aiClasses: boolean;
  /** Register `masync` as a cmdb_ci.discovery_source choice. */
  discoverySourceChoice: boolean;
  /** Custom columns the admin has not added yet. */
  omitColumns: string[];
}

const str = (element: string, maxLength: number): ColumnDef => ({ element, type: 'string', maxLength });
const int = (element: string): ColumnDef => ({ element, type: 'integer', maxLength: 40 });
const ref = (element: string, reference: string): ColumnDef => ({ element, type: 'reference', maxLength: 32, reference });

const SYSTEM_COLUMNS: ColumnDef[] = [
  { element: 'sys_id', type: 'GUID', maxLength: 32 },
  { element: 'sys_class_name', type: 'sys_class_name', maxLength: 80 },
  { element: 'sys_created_on', type: 'glide_date_time', maxLength: 40 },
  { element: 'sys_updated_on', type: 'glide_date_time', maxLength: 40 },
  { element: 'sys_created_by', type: 'string', maxLength: 40 },
  { element: 'sys_updated_by', type: 'string', maxLength: 40 },
];

const CI_COLUMNS: ColumnDef[] = [
  str('name', 255),
  str('short_description', 1000),
  int('install_status'),
  int('operational_status'),
  ref('owned_by', 'sys_user'),
  ref('managed_by', 'sys_user'),
  ref('cost_center', 'cmn_cost_center'),
  str('correlation_id', 100),
  str('discovery_source', 40),
  str('object_id', 255),
  str('comments', 4000),
];

/** Cost and findings, on every ML class (rolled up onto versions and models). */
const ML_COST_COLUMNS: ColumnDef[] = [str('u_ml_monthly_cost', 40), str('u_ml_cost_currency', 3), str('u_ml_cost_estimated', 10), str('u_ml_findings', 4000)];

/** Deployments only: how the cost was found, traffic, and the variants. */
const ML_USAGE_COLUMNS: ColumnDef[] = [str('u_ml_cost_basis', 255), str('u_ml_invocations', 40), str('u_ml_last_invocation', 40), str('u_ml_variants', 1000)];

/** u_ columns for models and versions; on cmdb_ci_appl so the generic mapping finds them too. */
const ML_APPL_COLUMNS: ColumnDef[] = [
  str('u_ml_kind', 40),
  str('u_ml_stage', 40),
  str('u_ml_aliases', 1000),
  str('u_ml_status', 40),
  str('u_ml_artifact_uri', 1024),
  str('u_ml_run_id', 100),
  str('u_ml_metrics', 4000),
  str('u_ml_params', 4000),
  str('u_ml_datasets', 4000),
  str('u_ml_source_url', 1024),
  str('u_ml_endpoint', 255),
  str('u_ml_instance_type', 100),
  str('u_ml_instance_count', 40),
  str('u_ml_region', 40),
  ...ML_COST_COLUMNS,
  ...ML_USAGE_COLUMNS,
];

const ML_DEPLOYMENT_COLUMNS: ColumnDef[] = [
  str('u_ml_endpoint', 255),
  str('u_ml_instance_type', 100),
  str('u_ml_instance_count', 40),
  str('u_ml_region', 40),
  str('u_ml_status', 40),
  str('u_ml_source_url', 1024),
  ...ML_COST_COLUMNS,
  ...ML_USAGE_COLUMNS,
];

const RELATIONSHIP_TYPES = [
  'Contains::Contained by',
  'Depends on::Used by',
  'Runs on::Runs',
  'Uses::Used by',
  'Hosted on::Hosts',
  'Deployed as::Deployment of',
  'Members::Member of',
];

const DISCOVERY_SOURCES = ['ServiceNow', 'Manual', 'Manual via IRE', 'Other Automated', 'ImportSet'];

export function defineStandardTables(store: Store, shape: InstanceShape): void {
  const keep = (cols: ColumnDef[]) => cols.filter((c) => !shape.omitColumns.includes(c.element));
  store.defineTable('sys_db_object', undefined, 'Table', [...SYSTEM_COLUMNS, str('name', 80), ref('super_class', 'sys_db_object'), str('label', 80)]);
  store.defineTable('sys_dictionary', undefined, 'Dictionary Entry', [
    ...SYSTEM_COLUMNS,
    str('name', 80),
    str('element', 80),
    str('internal_type', 40),
    int('max_length'),
    str('reference', 80),
  ]);
  store.defineTable('sys_choice', undefined, 'Choices', [...SYSTEM_COLUMNS, str('name', 80), str('element', 80), str('value', 40), str('label', 100), str('inactive', 10)]);
  store.defineTable('sys_user', undefined, 'User', [...SYSTEM_COLUMNS, str('user_name', 40), str('email', 100), str('name', 151), str('active', 10)]);
  store.defineTable('cmn_cost_center', undefined, 'Cost Center', [...SYSTEM_COLUMNS, str('name', 100), str('account_number', 40)]);
  store.defineTable('cmdb', undefined, 'Base Configuration Item', SYSTEM_COLUMNS);
  store.defineTable('cmdb_ci', 'cmdb', 'Configuration Item', keep(CI_COLUMNS));
  store.defineTable('cmdb_ci_appl', 'cmdb_ci', 'Application', keep([str('version', 40), ...ML_APPL_COLUMNS]));
  if (shape.aiClasses) {
    store.defineTable('cmdb_ci_appl_ai_application', 'cmdb_ci_appl', 'AI Application', []);
    store.defineTable('cmdb_ci_ai_model_deployment', 'cmdb_ci', 'AI Model Deployment', keep(ML_DEPLOYMENT_COLUMNS));
  }
  store.defineTable('cmdb_rel_type', undefined, 'CI Relationship Type', [...SYSTEM_COLUMNS, str('name', 100), str('parent_descriptor', 50), str('child_descriptor', 50)]);
  store.defineTable('cmdb_rel_ci', undefined, 'CI Relationship', [...SYSTEM_COLUMNS, ref('parent', 'cmdb_ci'), ref('child', 'cmdb_ci'), ref('type', 'cmdb_rel_type')]);
}

/** Choice lists and relationship types every instance ships with. */
export function seedStandardData(store: Store, shape: InstanceShape): void {
  const sources = shape.discoverySourceChoice ? [...DISCOVERY_SOURCES, 'masync'] : DISCOVERY_SOURCES;
  for (const value of sources) store.insert('sys_choice', { name: 'cmdb_ci', element: 'discovery_source', value, label: value, inactive: 'false' });
  for (const name of RELATIONSHIP_TYPES) {
    const [parent, child] = name.split('::');
    store.insert('cmdb_rel_type', { name, parent_descriptor: parent, child_descriptor: child });
  }
}
