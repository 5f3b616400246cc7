import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type MediaStatus = 'pending' | 'uploaded';

/** One media object: its metadata here, its bytes in the object store under `objectKey`. */
export class Media extends Model<InferAttributes<Media>, InferCreationAttributes<Media>> {
  declare id: CreationOptional<string>;
  declare ownerId: string;
  declare contentType: string;
  declare sizeBytes: number;
  declare status: CreationOptional<MediaStatus>;
  declare objectKey: string;
  declare uploadedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export interface MediaModels {
  Media: typeof Media;
}

/**
 * Binds the models to this service instance's Sequelize (tables come from the migrations). Each
 * instance gets its own subclasses, so several media instances in one process (tests, next to users
 * or posts) never share a connection pool.
 */
export function defineModels(sequelize: Sequelize): MediaModels {
  const M = class extends Media {};
  M.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      ownerId: { type: DataTypes.UUID, allowNull: false },
      contentType: { type: DataTypes.TEXT, allowNull: false },
      sizeBytes: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'pending' },
      objectKey: { type: DataTypes.TEXT, allowNull: false },
      uploadedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, tableName: 'media', underscored: true, modelName: 'Media' },
  );
  return { Media: M };
}
