/** The names TypeORM code joinery generates declares and imports (see `rules/identifiers.ts`). */
import { GLOBALS_USED, type GeneratedNames } from '../../rules/identifiers.js';

export const TYPEORM_NAMES: GeneratedNames = {
  declares: 'class',
  taken: [
    ...GLOBALS_USED,
    ...['BeforeInsert', 'Column', 'CreateDateColumn', 'DataSource', 'Entity', 'EntityManager'],
    ...['In', 'Index', 'JoinColumn', 'ManyToOne', 'MigrationInterface', 'OneToMany'],
    ...['PrimaryColumn', 'PrimaryGeneratedColumn', 'QueryRunner', 'Relation', 'Table'],
    ...['TableColumn', 'TableForeignKey', 'TableIndex', 'UpdateDateColumn'],
    // Declared by the helpers module.
    ...['Database', 'NotFoundError'],
  ],
};
