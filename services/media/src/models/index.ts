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

/** Binds the models to this service's Sequelize instance (tables come from the migrations). */
export function initModels(sequelize: Sequelize): void {
  Media.init(
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
    { sequelize, tableName: 'media', underscored: true },
  );
}
