import { createRequire } from 'node:module';
import path from 'node:path';
import { projectProblem } from '../../errors.js';
import { loadExeca } from '../../lazy.js';
import { renderTemplate } from '../../render/render-template.js';
import { camelCase, pluralizeLast } from '../../rules/naming.js';
import { withActions, type MigrationStep, type OrmTarget } from '../target.js';
import { planTypeormJoin, type TypeormJoinPlan } from './plan-join.js';
import { planTypeormResource } from './plan-resource.js';
import { resourceUsage } from './resource-usage.js';
import { scanTypeormProject } from './scan.js';

export const typeormTarget: OrmTarget = {
  name: 'typeorm',
  label: 'TypeORM',
  // The migration class is source, planned into the change set with the entities.
  capabilities: { helpers: true, migration: 'source', formatter: 'prettier' },

  async planJoin(project, join, changes, options) {
    const plan = await planTypeormJoin(project, join, changes, options);
    return withActions(plan, {
      usage: () => joinUsage(plan),
      migrationStep: () => sourceMigrationStep(plan.join.migrationName),
    });
  },

  async planResource(project, resource, changes, options) {
    const plan = await planTypeormResource(project, resource, changes, options);
    return withActions(plan, {
      usage: () => resourceUsage(plan),
      migrationStep: () => sourceMigrationStep(plan.migrationName),
    });
  },

  async migrate(project) {
    const scan = await scanTypeormProject(project, []);
    const dataSource = scan.options.find((options) => options.kind === 'data-source');
    if (!dataSource) {
      throw projectProblem(
        `No \`new DataSource(...)\` found in ${project.root}; TypeORM's migration:run needs one.`,
        'Export a DataSource from src/data-source.ts (NestJS projects often keep one for the CLI), then run joinery migrate again.',
      );
    }
    const { execa } = await loadExeca();
    const require = createRequire(path.join(project.root, 'package.json'));
    let cli: string;
    try {
      // The package exports no package.json; its main entry sits beside cli.js.
      cli = path.join(path.dirname(require.resolve('typeorm')), 'cli.js');
    } catch {
      throw projectProblem(
        `typeorm is not installed in ${project.root}.`,
        'Install the project dependencies (npm install), then run joinery migrate again.',
      );
    }
    const typescript = /\.[cm]?tsx?$/.test(dataSource.file);
    const args = [
      ...(typescript ? ['--import', 'tsx'] : []),
      cli,
      'migration:run',
      '-d',
      path.relative(project.root, dataSource.file),
    ];
    const result = await execa(process.execPath, args, {
      cwd: project.root,
      reject: false,
      stdin: 'ignore',
      env: { FORCE_COLOR: '0' },
    });
    const output = `${result.stdout}\n${result.stderr}`.trim();
    if (result.exitCode !== 0) {
      throw projectProblem(
        `typeorm migration:run failed (exit ${result.exitCode}):\n${output
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')}`,
        `Run \`node ${typescript ? '--import tsx ' : ''}node_modules/typeorm/cli.js migration:run -d ${path.relative(project.root, dataSource.file)}\` in ${project.root} to see the full error${typescript ? ' (TypeScript data sources need tsx installed)' : ''}.`,
      );
    }
    return output;
  },
};

/** Nothing runs after the write: the migration class is already in the change set. */
function sourceMigrationStep(name: string): MigrationStep {
  return {
    description: `write ${name} as a TypeORM migration class`,
    needed: false,
    run: async () => [],
  };
}

function joinUsage(plan: TypeormJoinPlan): string {
  const { join, sides } = plan;
  return renderTemplate('typeorm/usage.txt.ejs', {
    className: plan.joinClass,
    collection: join.collection,
    registered: plan.registered,
    dataSourceFile: plan.dataSourceFile,
    helpers: plan.helpers,
    source: {
      className: sides.source.entity.className,
      parameter: camelCase(join.source.relationship),
      key: camelCase(join.source.attribute.name),
      primaryKey: sides.source.primaryKey.property,
    },
    target: {
      property: camelCase(join.target.relationship),
      plural: camelCase(pluralizeLast(join.target.relationship)),
      key: camelCase(join.target.attribute.name),
      ids: `${camelCase(join.target.relationship)}Ids`,
    },
  });
}
