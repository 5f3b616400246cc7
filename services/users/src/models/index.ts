import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class Profile extends Model<InferAttributes<Profile>, InferCreationAttributes<Profile>> {
  declare id: string;
  declare username: string;
  declare displayName: string;
  declare bio: CreationOptional<string>;
  declare avatarMediaId: CreationOptional<string | null>;
  declare followerCount: CreationOptional<number>;
  declare followingCount: CreationOptional<number>;
  declare suspendedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Follow extends Model<InferAttributes<Follow>, InferCreationAttributes<Follow>> {
  declare followerId: string;
  declare followeeId: string;
  declare createdAt: CreationOptional<Date>;
}

export class DeletedProfile extends Model<InferAttributes<DeletedProfile>, InferCreationAttributes<DeletedProfile>> {
  declare id: string;
  declare deletedAt: CreationOptional<Date>;
}

export interface UsersModels {
  Profile: typeof Profile;
  Follow: typeof Follow;
  DeletedProfile: typeof DeletedProfile;
}

/**
 * Binds the models to one Sequelize instance (tables come from the migrations). Each call makes its
 * own subclasses, so several users instances in one process (tests, with auth or posts alongside)
 * never share or rebind a model; the domain gets them through its constructor.
 */
export function defineModels(sequelize: Sequelize): UsersModels {
  const P = class extends Profile {};
  const F = class extends Follow {};
  const D = class extends DeletedProfile {};
  P.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      username: { type: DataTypes.TEXT, allowNull: false },
      displayName: { type: DataTypes.TEXT, allowNull: false },
      bio: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      avatarMediaId: { type: DataTypes.UUID, allowNull: true },
      followerCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      followingCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      suspendedAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Profile', tableName: 'profiles', underscored: true },
  );
  F.init(
    {
      followerId: { type: DataTypes.UUID, primaryKey: true },
      followeeId: { type: DataTypes.UUID, primaryKey: true },
      createdAt: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, modelName: 'Follow', tableName: 'follows', underscored: true, updatedAt: false },
  );
  D.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      deletedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
    },
    { sequelize, modelName: 'DeletedProfile', tableName: 'deleted_profiles', underscored: true, timestamps: false },
  );
  return { Profile: P, Follow: F, DeletedProfile: D };
}
