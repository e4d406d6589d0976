/**
 * The TypeORM project scan: list the project's source files, keep by text only those that could
 * configure TypeORM, declare a wanted entity or hold a migration, and parse just those.
 */
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import { loadTsMorph } from '../../lazy.js';
import { assertParses, manipulationSettingsFor } from '../../project/parse-source.js';
import type { Project } from '../../project/project.js';
import { expandSourcePatterns } from '../../project/source-files.js';
import { kebabCase, pluralizeLast, snakeCase } from '../../spec/naming.js';
import {
  mayHoldOrmOptions,
  readFeatureLists,
  readOrmOptions,
  type FeatureList,
  type OrmOptions,
} from './data-source.js';
import {
  entityClassNamesIn,
  mayHoldEntity,
  readEntities,
  type TypeormEntity,
} from './entity-model.js';

export interface TypeormScan {
  /** Every source file listed, with its text (unreadable and oversized files are left out). */
  texts: Map<string, string>;
  options: OrmOptions[];
  features: FeatureList[];
  entities: TypeormEntity[];
  /** Entity classes in files the prefilter did not parse (for "not found" messages). */
  otherEntityNames: string[];
  /** Parsed files by absolute path; the same objects the patches edit. */
  sourceFiles: Map<string, SourceFile>;
}

/** Words that must appear in an entity file for it to be worth parsing. */
export function wantedWords(names: string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    words.add(name.toLowerCase());
    words.add(snakeCase(name));
    words.add(kebabCase(name));
    words.add(snakeCase(pluralizeLast(name)));
  }
  return [...words];
}

export async function scanTypeormProject(
  project: Project,
  wantedNames: string[],
): Promise<TypeormScan> {
  const files = await expandSourcePatterns(project.root, ['.']);
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = project.readSource(file);
    if (text !== undefined) texts.set(file, text);
  }
  const words = wantedWords(wantedNames);
  const toParse = new Map<string, string>();
  const otherEntityNames: string[] = [];
  for (const [file, text] of texts) {
    const entity = mayHoldEntity(text);
    const lower = text.toLowerCase();
    if (mayHoldOrmOptions(text) || (entity && words.some((word) => lower.includes(word)))) {
      toParse.set(file, text);
    } else if (entity) {
      const shown = path.relative(project.root, file).split(path.sep).join('/');
      for (const { className, line } of entityClassNamesIn(text)) {
        otherEntityNames.push(`${shown}:${line} ${className}`);
      }
    }
  }

  const { Project: MorphProject } = loadTsMorph();
  const morph = new MorphProject({
    useInMemoryFileSystem: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, experimentalDecorators: true },
    manipulationSettings: manipulationSettingsFor([...toParse.values()]),
  });
  const sourceFiles = new Map<string, SourceFile>();
  const scan: TypeormScan = {
    texts,
    options: [],
    features: [],
    entities: [],
    otherEntityNames,
    sourceFiles,
  };
  const entityFiles: SourceFile[] = [];
  for (const [file, text] of toParse) {
    const sourceFile = morph.createSourceFile(file, text, { overwrite: true });
    assertParses(sourceFile);
    sourceFiles.set(file, sourceFile);
    if (mayHoldOrmOptions(text)) {
      scan.options.push(...readOrmOptions(sourceFile, project.root));
      scan.features.push(...readFeatureLists(sourceFile));
    }
    if (mayHoldEntity(text)) entityFiles.push(sourceFile);
  }
  const snakeColumns = scan.options.some((options) => /snake/i.test(options.namingStrategy ?? ''));
  for (const sourceFile of entityFiles)
    scan.entities.push(...readEntities(sourceFile, { snakeColumns }));
  return scan;
}
